"""Scenario questions on other exams' public review documents (issue 15) and the script that scores them."""
