; Hotness patterns for JavaScript, TypeScript and TSX (captures: see src/core/parse/hotness.ts).

; --- loops: the part that repeats
(for_statement) @loop
(for_in_statement body: (_) @loop)
(while_statement) @loop
(do_statement) @loop
(call_expression
  function: (member_expression
    property: (property_identifier) @_m
    (#any-of? @_m "map" "forEach" "filter" "reduce" "reduceRight" "some" "every" "find" "findIndex" "findLast" "findLastIndex" "flatMap" "sort" "toSorted"))
  arguments: (arguments . [(arrow_function) (function_expression)] @loop))

; --- linear searches
(call_expression
  function: (member_expression
    property: (property_identifier) @search.name
    (#any-of? @search.name "includes" "indexOf" "lastIndexOf"))) @search

; --- sorting and copying
(call_expression
  function: (member_expression
    property: (property_identifier) @sort.name
    (#any-of? @sort.name "sort" "toSorted"))) @sort
(call_expression
  function: (member_expression
    property: (property_identifier) @copy.name
    (#any-of? @copy.name "slice" "concat" "toReversed" "toSpliced" "with"))) @copy
(call_expression
  function: (member_expression
    object: (identifier) @_o
    property: (property_identifier) @_p
    (#match? @_o "^(Array|Object)$")
    (#any-of? @_p "from" "assign" "entries" "keys" "values")) @copy.name) @copy
(call_expression function: (identifier) @copy.name (#eq? @copy.name "structuredClone")) @copy
(array (spread_element) @copy.name) @copy
(object (spread_element) @copy.name) @copy

; --- operations that are O(n) each time
(call_expression
  function: (member_expression
    property: (property_identifier) @quadratic.name
    (#any-of? @quadratic.name "shift" "unshift" "splice"))) @quadratic

; --- string building
(augmented_assignment_expression
  left: (identifier) @concat.target
  operator: "+="
  right: (_) @concat.value) @concat
(assignment_expression
  left: (identifier) @concat.target
  right: (binary_expression
    left: (identifier) @concat.self
    operator: "+"
    right: (_) @concat.value)) @concat
(variable_declarator name: (identifier) @string.var value: [(string) (template_string)])

; --- calls (recursion, calls in loops)
(call_expression function: (identifier) @call.name) @call
(call_expression
  function: (member_expression
    object: [(this) (identifier)] @call.receiver
    property: [(property_identifier) (private_property_identifier)] @call.name)) @call
