# Faster and correct: everyone enrolled or waiting goes into one set, and each student handled
# here is added to it, so each "seen before?" check is O(1) instead of two list scans.
def admit(self, applicants):
    """Enrols applicants while seats remain and queues the rest; anyone already enrolled or
    waiting (or seen earlier in this call) is skipped. Returns the newly enrolled ids."""
    seen = set(self.enrolled)
    seen.update(self.waiting)
    admitted = []
    for student in applicants:
        if student in seen:
            continue
        seen.add(student)
        if len(self.enrolled) < self.capacity:
            self.enrolled.append(student)
            admitted.append(student)
        else:
            self.waiting.append(student)
    return admitted
