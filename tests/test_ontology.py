from polybius import ontology


def test_sixteen_plover_types_with_quad_classes():
    types = ontology.event_types()
    assert set(types) == set(ontology.PLOVER_TYPES)
    assert types["CONSULT"].quad_class == 1
    assert types["AID"].quad_class == 2
    assert types["ACCUSE"].quad_class == 3
    assert types["ASSAULT"].quad_class == 4


def test_cameo_maps_to_plover_with_mode_and_context():
    assert ontology.cameo_to_plover("0312") == ("AGREE", None, "military")
    assert ontology.cameo_to_plover("042")[:2] == ("CONSULT", "visit")
    assert ontology.cameo_to_plover("0871")[0] == "RETREAT"
    assert ontology.cameo_to_plover("081")[0] == "CONCEDE"
    assert ontology.cameo_to_plover("012") == (None, None, None)


def test_goldstein_from_code_or_type():
    assert ontology.goldstein("190") == -10.0
    assert ontology.goldstein(None, "CONSULT") == ontology.goldstein("040")
    assert ontology.normalise_event_type("yield") == "CONCEDE"
