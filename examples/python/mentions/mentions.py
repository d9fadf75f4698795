"""Chat notifications: who was @-mentioned in each message of a channel."""
import re

MENTION_PREFIX = r"(?<!\w)@"


def find_mentions(messages, usernames):
    """For each message, the usernames it mentions as @name (any case, whole name), in roster order."""
    result = []
    for message in messages:
        mentioned = []
        for name in usernames:
            if re.search(MENTION_PREFIX + re.escape(name) + r"\b", message, re.IGNORECASE):
                mentioned.append(name)
        result.append(mentioned)
    return result
