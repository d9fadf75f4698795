# Faster and correct: compiled patterns, and a message without any "@" cannot mention anyone.
def find_mentions(messages, usernames):
    patterns = [(name, re.compile(MENTION_PREFIX + re.escape(name) + r"\b", re.IGNORECASE).search) for name in usernames]
    result = []
    for message in messages:
        if "@" not in message:
            result.append([])
            continue
        result.append([name for name, search in patterns if search(message)])
    return result
