; inherits: ecma

; class fields holding a function: f = () => …
(class_body
  (field_definition
    property: (_) @name
    value: [(function_expression) (generator_function) (arrow_function)] @function) @definition)
