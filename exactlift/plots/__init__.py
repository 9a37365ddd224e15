"""Figures of a case: the Hessian spectrum and the inertia along a split line (matplotlib, extra ``[plots]``).

``spectrum``    :func:`hessian_spectrum` (exact or certified eigenvalue enclosures), :func:`plot_spectrum`
``split_line``  :func:`split_line_inertia` ((n₋, n₀, n₊) of the split point as a function of α), :func:`plot_split_line`
``cli``         ``exactlift plot-spectrum CASE -o FILE.png``, ``exactlift plot-split-line CASE --neuron S -o FILE.png``

The count plots of the symmetry theory are :func:`exactlift.symmetry.plot_counts`.
matplotlib is imported only when a figure is drawn (:func:`exactlift.display.pyplot`).
"""

from exactlift.plots.spectrum import Spectrum, hessian_spectrum, plot_spectrum
from exactlift.plots.split_line import SplitLineInertia, plot_split_line, split_line_inertia

__all__ = ["Spectrum", "hessian_spectrum", "plot_spectrum", "SplitLineInertia", "split_line_inertia", "plot_split_line"]
