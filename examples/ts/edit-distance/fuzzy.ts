// Fuzzy matching for a command palette: the user types "opn fle" and expects "Open File".
export interface PaletteCommand {
  id: string;
  title: string;
}

const MAX_SUGGESTIONS = 5;

/** Levenshtein distance counted in Unicode code points, so an emoji or an accented letter is one edit. */
export function editDistance(a: string, b: string): number {
  const xs = Array.from(a);
  const ys = Array.from(b);
  const distance = (i: number, j: number): number => {
    if (i === xs.length) return ys.length - j;
    if (j === ys.length) return xs.length - i;
    if (xs[i] === ys[j]) return distance(i + 1, j + 1);
    return 1 + Math.min(distance(i + 1, j), distance(i, j + 1), distance(i + 1, j + 1));
  };
  return distance(0, 0);
}

/** The closest commands to what the user typed, best first. */
export function suggest(query: string, commands: readonly PaletteCommand[]): PaletteCommand[] {
  const q = query.toLowerCase();
  return commands
    .map((command) => ({ command, cost: editDistance(q, command.title.toLowerCase()) }))
    .sort((x, y) => x.cost - y.cost)
    .slice(0, MAX_SUGGESTIONS)
    .map((scored) => scored.command);
}
