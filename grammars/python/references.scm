; Names a piece of code refers to (context.ts follows them to module-level definitions).
; @ref is a use of a name; @ignore marks an identifier that is not a reference.
(identifier) @ref
(attribute attribute: (identifier) @ignore)
(keyword_argument name: (identifier) @ignore)
