# Faster but WRONG on an edge case: one regex with every name as an alternative finds
# non-overlapping matches only, so when one name is a prefix of another mentioned name that is
# followed by punctuation ("@ann.lee" with both "ann" and "ann.lee" on the roster), the shorter
# name is missed.
def find_mentions(messages, usernames):
    if not usernames:
        return [[] for _ in messages]
    alternatives = "|".join(re.escape(name) for name in sorted(usernames, key=len, reverse=True))
    pattern = re.compile(MENTION_PREFIX + "(" + alternatives + r")\b", re.IGNORECASE)
    result = []
    for message in messages:
        found = {match.lower() for match in pattern.findall(message)}
        result.append([name for name in usernames if name.lower() in found])
    return result
