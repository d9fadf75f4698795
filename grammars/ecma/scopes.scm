; Named scopes for qualified names (Class.method, object.method). Functions are scopes too
; (added by the extractor). @scope.<class|object|namespace> is the scope's node, @name its name.
; When several patterns match the same node, the first pattern wins.

(variable_declarator name: (identifier) @name value: (class) @scope.class)
(variable_declarator name: (identifier) @name value: (object) @scope.object)
(class_declaration name: (_) @name) @scope.class
(class name: (_) @name) @scope.class
(pair key: (_) @name value: (object) @scope.object)
(pair key: (_) @name value: (class) @scope.class)
(assignment_expression left: (_) @name right: (object) @scope.object)
(assignment_expression left: (_) @name right: (class) @scope.class)
