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

; --- method calls that scan, sort or copy: one pattern for all of them, the method's name picks
;     the category from the #set! lists (one match per call rather than one per list)
(call_expression
  function: (member_expression
    property: (property_identifier) @named.name)
  (#set! search "includes indexOf lastIndexOf")
  (#set! sort "sort toSorted")
  (#set! copy "slice concat toReversed toSpliced with")
  (#set! quadratic "shift unshift splice")) @named

; --- copying
(array (spread_element) @copy.name) @copy
(object (spread_element) @copy.name) @copy

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

; --- calls (recursion, calls in loops); a name in a #set! list is also an event of that category,
;     and so is a listed `receiver.name` (with that path as its name)
(call_expression function: (identifier) @call.name (#set! copy "structuredClone")) @call
(call_expression
  function: (member_expression
    object: [(this) (identifier)] @call.receiver
    property: [(property_identifier) (private_property_identifier)] @call.name)
  (#set! copy "Array.from Array.assign Array.entries Array.keys Array.values Object.from Object.assign Object.entries Object.keys Object.values")) @call
