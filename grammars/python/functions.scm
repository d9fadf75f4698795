; Function definitions in Python. Capture conventions: see grammars/ecma/functions.scm.
; The first matching pattern wins for a function node, so specific patterns come first.

; --- methods (class body), decorated: properties and setters are accessors
(class_definition
  body: (block
    (decorated_definition
      (decorator [(identifier) (attribute)] @_d (#match? @_d "^(property|(functools\\.)?cached_property)$"))
      definition: (function_definition name: (identifier) @name) @function) @definition.getter))
(class_definition
  body: (block
    (decorated_definition
      (decorator (attribute attribute: (identifier) @_s (#eq? @_s "setter")))
      definition: (function_definition name: (identifier) @name) @function) @definition.setter))
(class_definition
  body: (block
    (decorated_definition
      definition: (function_definition name: (identifier) @name) @function
      (#set! constructor "__init__")) @definition.method))

; --- methods, undecorated
(class_definition
  body: (block
    (function_definition name: (identifier) @name (#set! constructor "__init__")) @definition.method))

; --- functions (module level, nested, in if/try blocks), decorated or not
(decorated_definition
  definition: (function_definition name: (identifier) @name) @function) @definition.function
(function_definition name: (identifier) @name) @definition.function

; --- f = lambda x: …
(expression_statement
  (assignment
    left: (identifier) @name
    right: (lambda) @function)) @definition.arrow

; --- generators: a yield in a function's body, outside nested functions, lambdas and classes
;     (the descriptor's functionScopeTypes), makes it a generator. The keyword is listed too, for
;     one that error recovery leaves outside a yield expression.
[(yield) "yield"] @yield
