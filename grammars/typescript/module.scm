; inherits: ecma

(program (import_statement (import_require_clause (identifier) @name)) @import)
(program
  [(interface_declaration name: (_) @name)
   (type_alias_declaration name: (_) @name)
   (enum_declaration name: (_) @name)
   (abstract_class_declaration name: (_) @name)
   (internal_module name: (_) @name)
   (export_statement declaration: [
     (interface_declaration name: (_) @name)
     (type_alias_declaration name: (_) @name)
     (enum_declaration name: (_) @name)
     (abstract_class_declaration name: (_) @name)
     (internal_module name: (_) @name)])]
  @declaration)
(program (expression_statement (internal_module name: (_) @name)) @declaration)
(program (ambient_declaration [(lexical_declaration (variable_declarator name: (identifier) @name)) (variable_declaration (variable_declarator name: (identifier) @name)) (function_signature name: (identifier) @name) (class_declaration name: (_) @name)]) @declaration)
