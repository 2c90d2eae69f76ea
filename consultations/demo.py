def seed_consultations(stdout):
    return []
