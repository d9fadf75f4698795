; Function definitions shared by JavaScript, TypeScript and TSX.
;
; Captures read by src/core/parse/extract.ts:
;   @definition[.<kind>[.<flag>]]  the extent that is reported and replaced (kind: function, arrow,
;                                  method, objectMethod, constructor, getter, setter; without a kind
;                                  it comes from the function node's type; flag: abstract, declared)
;   @function                      the function node itself (parameters, body); defaults to @definition
;   @name                          its name;  @qualifier  a path written before the name (a.b in a.b.f = …)
;   @yield                         (in a pattern of its own) a node that makes the function whose body
;                                  holds it, outside nested function scopes, a generator (Python)
;   (#set! <kind> "<name> …")      a definition whose name is listed takes that kind instead (one
;                                  pattern for methods and constructors: one match per method)
;   @leading                       (in a pattern of its own) a node that, as the named sibling right
;                                  before a definition, belongs to its extent (TS member decorators)
; When several patterns match the same function node, the first pattern in the file wins.

; --- class members (before the generic patterns so a method is not taken for something else)
(class_body
  (method_definition "get" name: (_) @name) @definition.getter)
(class_body
  (method_definition "set" name: (_) @name) @definition.setter)
(class_body
  (method_definition name: (_) @name (#set! constructor "constructor")) @definition.method)

; --- object-literal members
(object
  (method_definition "get" name: (_) @name) @definition.getter)
(object
  (method_definition "set" name: (_) @name) @definition.setter)
(object
  (method_definition name: (_) @name) @definition.objectMethod)
(object
  (pair
    key: (_) @name
    value: [(function_expression) (generator_function) (arrow_function)] @function) @definition.objectMethod)

; --- declarations
(function_declaration name: (identifier) @name) @definition.function
(generator_function_declaration name: (identifier) @name) @definition.function

; const f = () => …  (one declarator: the whole statement is the extent)
(lexical_declaration
  .
  (variable_declarator
    name: (identifier) @name
    value: [(function_expression) (generator_function) (arrow_function)] @function)
  .) @definition
(variable_declaration
  .
  (variable_declarator
    name: (identifier) @name
    value: [(function_expression) (generator_function) (arrow_function)] @function)
  .) @definition
; const a = 1, f = () => …  (several declarators: the declarator is the extent)
(variable_declarator
  name: (identifier) @name
  value: [(function_expression) (generator_function) (arrow_function)] @function) @definition

; export default function () {} / export default () => …
(export_statement
  "default" @name
  value: [(function_expression) (generator_function) (arrow_function)] @function @definition)

; exports.f = function () {} / A.prototype.f = (x) => …
(expression_statement
  (assignment_expression
    left: (member_expression
      object: (_) @qualifier
      property: (property_identifier) @name)
    right: [(function_expression) (generator_function) (arrow_function)] @function)) @definition
(expression_statement
  (assignment_expression
    left: (identifier) @name
    right: [(function_expression) (generator_function) (arrow_function)] @function)) @definition

; a named function expression anywhere else (passed as an argument, returned, …)
(function_expression name: (identifier) @name) @definition.function
(generator_function name: (identifier) @name) @definition.function

; decorators: the ones right before a class member (TypeScript) belong to its extent
(decorator) @leading
