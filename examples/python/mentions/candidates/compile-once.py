# Faster and correct: builds each name's pattern once per call instead of once per message
# (re.search re-escapes, concatenates and looks the pattern up in re's cache every time).
def find_mentions(messages, usernames):
    patterns = [(name, re.compile(MENTION_PREFIX + re.escape(name) + r"\b", re.IGNORECASE)) for name in usernames]
    return [[name for name, pattern in patterns if pattern.search(message)] for message in messages]
