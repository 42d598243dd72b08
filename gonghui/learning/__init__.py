"""学习培训: training, question bank, daily question, exams and qualifications."""
