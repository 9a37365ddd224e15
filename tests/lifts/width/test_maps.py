"""LinearMap (exactlift/lifts/width/maps.py) on vectors of every context."""

def test_an_empty_row_maps_a_ball_vector_to_an_exact_zero():
    """A null neuron's coordinates of a ball image are exact zeros (x − x of a ball has radius 2r)."""
    import flint

    from exactlift.lifts.width import NullNeuron
    from exactlift.nn.examples import demo_case

    case = demo_case()
    T = NullNeuron(1).linear_map(case.arch)
    balls = [flint.arb(str(v)) + flint.arb(0, flint.arb("1e-20")) for v in case.params.flatten()]
    image = T(balls)
    zeros = [k for k in range(T.n_out) if not T.rows[k]]
    assert zeros and all(image[k].is_zero() for k in zeros)
