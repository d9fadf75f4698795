# Slower (but correct): checks every name at every "@" by hand, slicing and case-folding the
# message again for each candidate position and name.
def find_mentions(messages, usernames):
    result = []
    for message in messages:
        mentioned = []
        for name in usernames:
            found = False
            for i, ch in enumerate(message):
                if ch == "@" and not (i > 0 and re.match(r"\w", message[i - 1])):
                    if re.match(re.escape(name) + r"\b", message[i + 1:], re.IGNORECASE):
                        found = True
                        break
            if found:
                mentioned.append(name)
        result.append(mentioned)
    return result
