; Names a piece of code refers to (context.ts follows them to module-level definitions).
; @ref is a use of a name; @ignore marks an identifier that is not a reference.
(identifier) @ref
(shorthand_property_identifier) @ref
