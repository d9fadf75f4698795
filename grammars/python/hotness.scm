; Hotness patterns for Python (captures: see src/core/parse/hotness.ts).

; --- loops: the part that repeats
(for_statement body: (_) @loop)
(while_statement) @loop
[(list_comprehension) (set_comprehension) (dictionary_comprehension) (generator_expression)] @loop

; --- method calls that scan, sort, copy or shift: the method's name picks the category from the
;     #set! lists (see grammars/ecma/hotness.scm)
(call
  function: (attribute attribute: (identifier) @named.name)
  (#set! search "index count")
  (#set! sort "sort")
  (#set! copy "copy deepcopy")
  (#set! quadratic "remove")) @named
(comparison_operator (_) ["in" "not in"] . (_) @membership.container) @membership

; --- copying
(subscript subscript: (slice . ":" .) @copy.name) @copy

; --- operations that are O(n) each time
(call
  function: (attribute attribute: (identifier) @_m (#any-of? @_m "pop" "insert"))
  arguments: (argument_list . (integer) @_i (#eq? @_i "0"))) @quadratic.name @quadratic

; --- string building
(augmented_assignment
  left: (identifier) @concat.target
  operator: "+="
  right: (_) @concat.value) @concat
(assignment
  left: (identifier) @concat.target
  right: (binary_operator
    left: (identifier) @concat.self
    operator: "+"
    right: (_) @concat.value)) @concat
(assignment left: (identifier) @string.var right: [(string) (concatenated_string)])
(assignment left: (identifier) @set.var right: [(set) (dictionary) (set_comprehension) (dictionary_comprehension)])
(assignment
  left: (identifier) @set.var
  right: (call function: [(identifier) (attribute)] @_f (#match? @_f "^(set|dict|frozenset|Counter|defaultdict|OrderedDict|collections\\.\\w+)$")))
(typed_parameter (identifier) @set.var type: (type) @_t (#match? @_t "^([Ss]et|[Dd]ict|[Ff]rozen[Ss]et|Mapping|Counter)"))
(typed_default_parameter name: (identifier) @set.var type: (type) @_t (#match? @_t "^([Ss]et|[Dd]ict|[Ff]rozen[Ss]et|Mapping|Counter)"))

; --- calls (recursion, calls in loops); a name in a #set! list is also an event of that category
(call function: (identifier) @call.name (#set! sort "sorted") (#set! copy "list dict set tuple")) @call
(call function: (attribute object: (identifier) @call.receiver attribute: (identifier) @call.name)) @call
