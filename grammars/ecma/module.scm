; Module-level statements for a function's context (src/core/parse/context.ts).
;   @import / @helper / @declaration / @augment / @always   the top-level statement
;   @name                                                   a name it binds (or, for @augment, extends)
; A statement matched by several patterns takes the kind of the first one and the names of all.

; --- ES imports (a side-effect import binds nothing and is left out of the context)
(program (import_statement (import_clause (identifier) @name)) @import)
(program (import_statement (import_clause (namespace_import (identifier) @name))) @import)
(program (import_statement (import_clause (named_imports (import_specifier alias: (identifier) @name)))) @import)
(program (import_statement (import_clause (named_imports (import_specifier !alias name: (identifier) @name)))) @import)

; --- CommonJS requires: const x = require('x'), const { a, b: c } = require('x'), require('x').y
(program
  [(lexical_declaration (variable_declarator
     name: (identifier) @name
     value: [(call_expression function: (identifier) @_r)
             (member_expression object: (call_expression function: (identifier) @_r))]))
   (variable_declaration (variable_declarator
     name: (identifier) @name
     value: [(call_expression function: (identifier) @_r)
             (member_expression object: (call_expression function: (identifier) @_r))]))]
  @import
  (#eq? @_r "require"))
(program
  [(lexical_declaration (variable_declarator
     name: (object_pattern [(shorthand_property_identifier_pattern) @name (pair_pattern value: (identifier) @name)])
     value: (call_expression function: (identifier) @_r)))
   (variable_declaration (variable_declarator
     name: (object_pattern [(shorthand_property_identifier_pattern) @name (pair_pattern value: (identifier) @name)])
     value: (call_expression function: (identifier) @_r)))]
  @import
  (#eq? @_r "require"))

; --- functions (same-file helpers)
(program (function_declaration name: (identifier) @name) @helper)
(program (generator_function_declaration name: (identifier) @name) @helper)
(program (export_statement declaration: [(function_declaration name: (identifier) @name) (generator_function_declaration name: (identifier) @name)]) @helper)
(program
  [(lexical_declaration (variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression) (generator_function)]))
   (variable_declaration (variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression) (generator_function)]))
   (export_statement declaration: (lexical_declaration (variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression) (generator_function)])))]
  @helper)

; --- constants, variables, classes
(program
  [(lexical_declaration (variable_declarator name: (identifier) @name))
   (variable_declaration (variable_declarator name: (identifier) @name))
   (export_statement declaration: (lexical_declaration (variable_declarator name: (identifier) @name)))
   (export_statement declaration: (variable_declaration (variable_declarator name: (identifier) @name)))]
  @declaration)
(program
  [(lexical_declaration (variable_declarator name: [(object_pattern [(shorthand_property_identifier_pattern) @name (pair_pattern value: (identifier) @name)]) (array_pattern (identifier) @name)]))
   (variable_declaration (variable_declarator name: [(object_pattern [(shorthand_property_identifier_pattern) @name (pair_pattern value: (identifier) @name)]) (array_pattern (identifier) @name)]))]
  @declaration)
(program [(class_declaration name: (_) @name) (export_statement declaration: (class_declaration name: (_) @name))] @declaration)

; --- statements that extend a name: A.prototype.f = …, A.x = …
(program (expression_statement (assignment_expression left: (member_expression object: (identifier) @name))) @augment)
(program (expression_statement (assignment_expression left: (member_expression object: (member_expression object: (identifier) @name property: (property_identifier) @_p (#eq? @_p "prototype"))))) @augment)
