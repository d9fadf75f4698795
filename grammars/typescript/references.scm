; inherits: ecma
(type_identifier) @ref
