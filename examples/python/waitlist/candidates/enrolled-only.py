# Faster but WRONG on an edge case: the set holds the enrolled students only, so a student
# already on the waiting list is handled again (enrolled if a seat is free, or queued twice).
def admit(self, applicants):
    seen = set(self.enrolled)
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
