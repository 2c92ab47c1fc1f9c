"""The matching benchmark on a small instance: the engine and scipy agree, nothing is written."""

from stemnet.bench import matching


def test_small_instance_equals_the_independent_optimum(capsys):
    figures = matching.run(40, 150, write=False)
    assert figures["equal"]
    assert figures["total"] >= figures["greedy_total"]
    assert "EQUAL" in capsys.readouterr().out
