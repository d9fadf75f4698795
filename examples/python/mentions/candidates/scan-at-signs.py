# Hangs on one kind of input: jumps from "@" to "@" with str.find and tries the names there, but
# the branch that skips e-mail addresses ("ann@example.com") forgets to move past the "@", so a
# message with an address loops forever.
def find_mentions(messages, usernames):
    word = re.compile(r"\w")
    patterns = [(name, re.compile(re.escape(name) + r"\b", re.IGNORECASE)) for name in usernames]
    result = []
    for message in messages:
        mentioned = set()
        i = message.find("@")
        while i != -1:
            if i > 0 and word.match(message, i - 1):
                continue
            for name, pattern in patterns:
                if pattern.match(message, i + 1):
                    mentioned.add(name)
            i = message.find("@", i + 1)
        result.append([name for name in usernames if name in mentioned])
    return result
