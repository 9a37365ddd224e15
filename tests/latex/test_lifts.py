"""Parameter maps and lifts in LaTeX (latex/lifts.py), on duck-typed lifts."""

from __future__ import annotations

from exactlift.latex.lifts import FULL_MAP_LIMIT, lift_tex, parameter_map_tex
from exactlift.nn.examples import demo_case
from exactlift.nn.network import Architecture


class Scale:
    """θ' = cθ on the same architecture (a linear 'lift' with a matrix)."""

    def __init__(self, c):
        self.c = c

    def matrix(self, arch):
        return [[self.c if i == j else 0 for j in range(arch.n_params)] for i in range(arch.n_params)]

    def apply_case(self, case):
        return case

    def __str__(self):
        return f"scale by {self.c}"


def test_identity_map_copies_every_parameter():
    arch = Architecture.build([1, 2, 1], "relu")
    text = parameter_map_tex(Scale(1), arch, arch)
    assert f"{arch.n_params} parameter(s) are copied unchanged; there are no others." in text


def test_a_changed_parameter_gets_its_equation_and_large_maps_are_cut():
    arch = Architecture.build([1, 1], [])
    text = parameter_map_tex(Scale(-1), arch, arch)
    assert "W'^{[1]}_{0,0} &= -W^{[1]}_{0,0}" in text and "T = " in text
    wide = Architecture.build([1, FULL_MAP_LIMIT + 5, 1], "relu")
    text = parameter_map_tex(Scale(2), wide, wide)
    assert f"and {wide.n_params - FULL_MAP_LIMIT} more equations of the same kind." in text


def test_a_lift_without_matrix_or_with_a_wrong_shape_is_described():
    arch = Architecture.build([1, 1], [])
    assert "not a linear map with a matrix" in parameter_map_tex(object(), arch, arch)
    wide = Architecture.build([1, 2, 1], "relu")
    assert "The lift's matrix has shape 2 x 2." in parameter_map_tex(Scale(1), arch, wide)


def test_lift_tex_names_the_lift_and_both_networks():
    case = demo_case()
    text = lift_tex(Scale(1), case, case)
    assert text.startswith(r"\textbf{Lift:} scale by 1")
    assert "Narrow network:" in text and "wide network:" in text and "copied unchanged" in text
