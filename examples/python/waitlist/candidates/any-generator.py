# Correct but slower: the membership tests become generator expressions, which scan the lists
# in Python bytecode instead of C.
def admit(self, applicants):
    admitted = []
    for student in applicants:
        if any(s == student for s in self.enrolled) or any(s == student for s in self.waiting):
            continue
        if len(self.enrolled) < self.capacity:
            self.enrolled.append(student)
            admitted.append(student)
        else:
            self.waiting.append(student)
    return admitted
