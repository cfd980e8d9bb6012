"""The invented web-test store's schedule, shared by conftest and the API tests.

(date, source, target, type): USA-CHN has events in every month from January to June.
"""

SCHEDULE: list[tuple[str, str, str, str]] = [
    ("2024-01-10", "USA", "CHN", "CONSULT"),
    ("2024-01-10", "FRA", "DEU", "AGREE"),
    ("2024-01-10", "RUS", "UKR", "ACCUSE"),
    ("2024-01-22", "CHN", "USA", "AGREE"),
    ("2024-01-22", "USA", "UKR", "AID"),
    ("2024-01-22", "NATO", "UKR", "CONSULT"),
    ("2024-02-05", "USA", "CHN", "ACCUSE"),
    ("2024-02-05", "CHN", "USA", "THREATEN"),
    ("2024-02-05", "RUS", "UKR", "ASSAULT"),
    ("2024-02-19", "JPN", "CHN", "ACCUSE"),
    ("2024-02-19", "FRA", "UKR", "AID"),
    ("2024-02-19", "DEU", "NATO", "COOPERATE"),
    ("2024-03-04", "USA", "CHN", "SANCTION"),
    ("2024-03-04", "RUS", "UKR", "ASSAULT"),
    ("2024-03-04", "USA", "JPN", "CONSULT"),
    ("2024-03-18", "CHN", "USA", "REJECT"),
    ("2024-03-18", "FRA", "DEU", "CONSULT"),
    ("2024-03-18", "NATO", "RUS", "ACCUSE"),
    ("2024-04-08", "USA", "CHN", "CONSULT"),
    ("2024-04-08", "UKR", "RUS", "ACCUSE"),
    ("2024-04-08", "JPN", "USA", "AGREE"),
    ("2024-05-13", "CHN", "USA", "CONSULT"),
    ("2024-05-13", "USA", "CHN", "AGREE"),
    ("2024-05-13", "DEU", "UKR", "AID"),
    ("2024-06-03", "USA", "CHN", "COOPERATE"),
    ("2024-06-03", "RUS", "UKR", "ASSAULT"),
    ("2024-06-03", "FRA", "NATO", "CONSULT"),
]
