; Named scopes for qualified names (Class.method). Functions are added by the extractor.
(class_definition name: (identifier) @name) @scope.class
