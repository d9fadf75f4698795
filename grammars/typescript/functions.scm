; inherits: ecma

; class fields holding a function: f = () => …
(class_body
  (public_field_definition
    name: (_) @name
    value: [(function_expression) (generator_function) (arrow_function)] @function) @definition)

; abstract methods and signatures without a body: listed, not optimizable. An overload
; signature followed by its implementation is dropped by the extractor (same qualified name).
(class_body
  (abstract_method_signature name: (_) @name) @definition.method.abstract)
(class_body
  (method_signature name: (_) @name) @definition.method.declared)
(ambient_declaration
  (function_signature name: (identifier) @name) @definition.function.declared)
(function_signature name: (identifier) @name) @definition.function.declared
