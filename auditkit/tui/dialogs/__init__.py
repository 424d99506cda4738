"""Modal dialogs: notes, subject choice, new interviewees and incident records."""
