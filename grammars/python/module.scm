; Module-level statements for a function's context (captures: see grammars/ecma/module.scm).

; --- imports (also inside a module-level try: import … except ImportError: …)
(module (import_statement name: (dotted_name . (identifier) @name)) @import)
(module (import_statement name: (aliased_import alias: (identifier) @name)) @import)
(module (import_from_statement name: (dotted_name (identifier) @name)) @import)
(module (import_from_statement name: (aliased_import alias: (identifier) @name)) @import)
(module (import_from_statement (wildcard_import)) @always)
(module (future_import_statement) @always)
(module
  (try_statement body: (block [
    (import_statement name: (dotted_name . (identifier) @name))
    (import_statement name: (aliased_import alias: (identifier) @name))
    (import_from_statement name: (dotted_name (identifier) @name))
    (import_from_statement name: (aliased_import alias: (identifier) @name))])) @import)

; --- functions (same-file helpers)
(module (function_definition name: (identifier) @name) @helper)
(module (decorated_definition definition: (function_definition name: (identifier) @name)) @helper)

; --- classes, constants, variables, type aliases
(module (class_definition name: (identifier) @name) @declaration)
(module (decorated_definition definition: (class_definition name: (identifier) @name)) @declaration)
(module (expression_statement (assignment left: (identifier) @name)) @declaration)
(module (expression_statement (assignment left: [(pattern_list (identifier) @name) (tuple_pattern (identifier) @name)])) @declaration)
(module (expression_statement (assignment right: (assignment left: (identifier) @name))) @declaration)
(module (type_alias_statement left: (type (identifier) @name)) @declaration)

; --- statements that extend a name: X += …, X.attr = …, X[k] = …, X.update(…)
(module (expression_statement (augmented_assignment left: (identifier) @name)) @augment)
(module (expression_statement (assignment left: (attribute object: (identifier) @name))) @augment)
(module (expression_statement (assignment left: (subscript value: (identifier) @name))) @augment)
(module (expression_statement (call function: (attribute object: (identifier) @name))) @augment)
