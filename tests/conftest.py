from hypothesis import HealthCheck, settings

# Property tests generate bodies with from_regex and filters: no per-example deadline on a shared machine.
settings.register_profile("default", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("default")
