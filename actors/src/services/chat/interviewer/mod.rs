//! The embedded interviewer (being written).
