"""Course enrolment: seats up to a capacity, then a waiting list."""


class Waitlist:
    """Students enrolled in a course, and the ones waiting for a seat, in order of arrival."""

    def __init__(self, capacity):
        self.capacity = capacity
        self.enrolled = []
        self.waiting = []

    def admit(self, applicants):
        """Enrols applicants while seats remain and queues the rest; anyone already enrolled or
        waiting (or seen earlier in this call) is skipped. Returns the newly enrolled ids."""
        admitted = []
        for student in applicants:
            if student in self.enrolled or student in self.waiting:
                continue
            if len(self.enrolled) < self.capacity:
                self.enrolled.append(student)
                admitted.append(student)
            else:
                self.waiting.append(student)
        return admitted

    def seats_left(self):
        return max(0, self.capacity - len(self.enrolled))
