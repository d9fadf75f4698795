// Node types and field names by their numeric ids, learnt from the cursor once per grammar.
// Walking a subtree reads every node's type and namedness and every child's field: by id that is
// one call into the parser per node instead of two or three, and the native binding makes no
// string per node. An id's type, namedness and field name never change within a grammar.
import type { LanguageId } from '../languages/types';
import type { ParseBackend, TreeCursor } from './backend';

export interface NodeKind {
  readonly type: string;
  readonly named: boolean;
}

/** Symbol ids stay small, except ERROR's (65535): those go to a map, so the array stays dense. */
const DENSE_IDS = 4096;

export class GrammarIds {
  private readonly kinds: (NodeKind | undefined)[] = [];
  private readonly otherKinds = new Map<number, NodeKind>();
  private readonly fields: (string | null | undefined)[] = [];

  /** The type and namedness of the cursor's node. */
  kindAt(cursor: TreeCursor): NodeKind {
    const id = cursor.nodeTypeId;
    let kind = id < DENSE_IDS ? this.kinds[id] : this.otherKinds.get(id);
    if (!kind) {
      kind = { type: cursor.nodeType, named: cursor.nodeIsNamed };
      if (id < DENSE_IDS) this.kinds[id] = kind;
      else this.otherKinds.set(id, kind);
    }
    return kind;
  }

  /** The name of the field that holds the cursor's node in its parent, or null. */
  fieldAt(cursor: TreeCursor): string | null {
    const id = cursor.currentFieldId;
    if (!id) return null;
    let name = this.fields[id];
    if (name === undefined) {
      name = cursor.currentFieldName ?? null;
      this.fields[id] = name;
    }
    return name;
  }
}

const byBackend = new WeakMap<ParseBackend, Map<LanguageId, GrammarIds>>();

/** The ids of a language's grammar as loaded by `backend` (each binding loads its own build). */
export function grammarIds(backend: ParseBackend, language: LanguageId): GrammarIds {
  let perLanguage = byBackend.get(backend);
  if (!perLanguage) byBackend.set(backend, (perLanguage = new Map()));
  let ids = perLanguage.get(language);
  if (!ids) perLanguage.set(language, (ids = new GrammarIds()));
  return ids;
}
