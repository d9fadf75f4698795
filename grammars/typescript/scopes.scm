; inherits: ecma

(abstract_class_declaration name: (_) @name) @scope.class
(internal_module name: (_) @name) @scope.namespace
(module name: (_) @name) @scope.namespace
