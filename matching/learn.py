"""Weights from outcomes: which components predict that a youth wants an opening.

The model is a logistic regression of "positive outcome" (interested, accepted,
completed) on the component values of each (youth, opening) pair. Its coefficients must
be non-negative, because a weight is non-negative by design (a component may help or not
count, never push a better fit down). scikit-learn's LogisticRegression cannot bound
coefficients, and fitting freely then clipping biases the rest, so we minimise the
L2-regularised log-loss directly with `scipy.optimize.minimize` (L-BFGS-B) under bounds
beta >= 0 (the intercept is free and not penalised). The learned weights are the
coefficients normalised to sum to one: with P = sigmoid(a * score + b) they are exactly
the weights of the score.

The split is by youth (whole youths held out), so the held-out figures say how the
weights rank openings for people the fit has not seen.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit

from .components import COMPONENTS
from .evaluate import ndcg_at_k
from .matcher import Matcher
from .model import Opening, Youth
from .outcomes import GRADE, POSITIVE, Outcome, furthest
from .weights import Weights


@dataclass(frozen=True)
class LearnReport:
    """Learned weights and how they rank held-out youths' openings against the current ones."""

    weights: Weights
    current: Weights
    coefficients: dict[str, float]  # raw, before normalising
    intercept: float
    rows: int  # outcome rows given
    pairs: int  # distinct (youth, opening) pairs, each with its furthest outcome
    train_pairs: int
    test_pairs: int
    test_youths: int
    judged_youths: int  # held-out youths with a positive outcome: the nDCG average
    k: int
    ndcg_current: float
    ndcg_learned: float
    auc_current: float | None  # None when the held-out pairs are all of one class
    auc_learned: float | None

    def to_dict(self) -> dict[str, object]:
        def r(x: float | None) -> float | None:
            return None if x is None else round(float(x), 6)

        return {
            "rows": self.rows, "pairs": self.pairs, "train_pairs": self.train_pairs,
            "test_pairs": self.test_pairs, "test_youths": self.test_youths,
            "judged_youths": self.judged_youths,
            f"ndcg@{self.k}": {"current": r(self.ndcg_current), "learned": r(self.ndcg_learned)},
            "auc": {"current": r(self.auc_current), "learned": r(self.auc_learned)},
            "current_weights": self.current.to_dict(),
            "coefficients": {c: r(v) for c, v in self.coefficients.items()}, "intercept": r(self.intercept),
        }


def learn(outcomes: Iterable[Outcome], youths: Sequence[Youth], openings: Sequence[Opening],
          matcher: Matcher, *, test_size: float = 0.25, seed: int = 0, k: int = 10,
          C: float = 1.0) -> LearnReport:
    """Fits non-negative weights to outcomes and compares them with `matcher.weights`.

    Parameters
    ----------
    outcomes : rows of (youth_id, opening_id, outcome); several rows of one pair count
        as its furthest outcome.
    youths, openings : the records the ids refer to; `matcher` is fitted on `openings`.
    test_size : share of youths held out for the nDCG@k and AUC comparison.
    C : inverse L2 strength, as in scikit-learn: penalty ||beta||^2 / (2 C) on the summed loss.
    """
    if not 0.0 < test_size < 1.0:
        raise ValueError(f"test_size must be between 0 and 1, got {test_size!r}")
    if not C > 0:
        raise ValueError(f"C must be above zero, got {C!r}")
    from sklearn.metrics import roc_auc_score  # here, so `import matching` stays light
    from sklearn.model_selection import GroupShuffleSplit

    rows = list(outcomes)
    pairs = furthest(rows)
    x, label, grade, group, opening_ids = _features(pairs, youths, openings, matcher)
    if len(np.unique(group)) < 2:
        raise ValueError("outcomes name fewer than 2 youths; cannot hold any out")
    split = GroupShuffleSplit(n_splits=1, test_size=test_size, random_state=seed)
    train, test = next(split.split(x, label, group))
    if len(np.unique(label[train])) < 2:
        raise ValueError("the training outcomes are all positive or all negative; nothing to learn from")
    beta, intercept = fit_nonnegative_logistic(x[train], label[train], C)
    if beta.sum() <= 0:
        raise ValueError("no component predicts the outcomes (every learned coefficient is 0); "
                         "keep the current weights")
    learned = Weights(dict(zip(COMPONENTS, (beta / beta.sum()).tolist())), "learned")
    current = matcher.weights
    ndcg, judged = {}, 0
    auc: dict[str, float | None] = {}
    for name, w in (("current", current), ("learned", learned)):
        score = x[test] @ w.vector()
        ndcg[name], judged = _ndcg(score, grade[test], group[test], opening_ids[test], k)
        auc[name] = float(roc_auc_score(label[test], score)) if len(np.unique(label[test])) == 2 else None
    return LearnReport(
        weights=learned, current=current, coefficients=dict(zip(COMPONENTS, beta.tolist())),
        intercept=float(intercept), rows=len(rows), pairs=len(pairs), train_pairs=len(train),
        test_pairs=len(test), test_youths=len(np.unique(group[test])), judged_youths=judged, k=k,
        ndcg_current=ndcg["current"], ndcg_learned=ndcg["learned"],
        auc_current=auc["current"], auc_learned=auc["learned"],
    )


def _features(pairs: dict[tuple[str, str], str], youths: Sequence[Youth], openings: Sequence[Opening],
              matcher: Matcher) -> tuple[np.ndarray, ...]:
    """Component values (n_pairs, n_components), labels, grades, youth groups and opening ids."""
    by_id = {y.id: y for y in youths}
    known = {o.id for o in openings}
    per_youth: dict[str, list[str]] = {}
    for yid, oid in pairs:
        if yid not in by_id:
            raise ValueError(f"outcome for unknown youth id {yid!r}")
        if oid not in known or oid not in matcher.index:
            raise ValueError(f"outcome for unknown opening id {oid!r}")
        per_youth.setdefault(yid, []).append(oid)
    if not per_youth:
        raise ValueError("no outcomes to learn from")
    blocks, group, ids = [], [], []
    for g, (yid, oids) in enumerate(per_youth.items()):
        blocks.append(matcher.component_values(by_id[yid], oids).T)  # one batch per youth
        group += [g] * len(oids)
        ids += oids
    outcome = [pairs[y, o] for y, oids in per_youth.items() for o in oids]
    label = np.array([o in POSITIVE for o in outcome], dtype=np.float64)
    grade = np.array([GRADE.get(o, 0) for o in outcome], dtype=np.int64)
    return np.vstack(blocks), label, grade, np.array(group), np.array(ids, dtype=object)


def fit_nonnegative_logistic(x: np.ndarray, y: np.ndarray, C: float = 1.0) -> tuple[np.ndarray, float]:
    """(beta >= 0, intercept) minimising sum log-loss + ||beta||^2 / (2 C), by L-BFGS-B.

    The objective is divided by the number of rows so gradients stay near 1 whatever
    the size; that does not move the minimum.
    """
    n, d = x.shape
    lam = 1.0 / (C * n)

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        beta, b = theta[:d], theta[d]
        z = x @ beta + b
        value = np.mean(np.logaddexp(0.0, z) - y * z) + 0.5 * lam * beta @ beta
        r = (expit(z) - y) / n
        return float(value), np.concatenate([x.T @ r + lam * beta, [r.sum()]])

    p = min(max(y.mean(), 1e-6), 1 - 1e-6)
    start = np.concatenate([np.zeros(d), [np.log(p / (1 - p))]])
    res = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=[(0.0, None)] * d + [(None, None)],
                   options={"maxiter": 2000, "ftol": 1e-14, "gtol": 1e-10})
    if not res.success and "ABNORMAL" not in str(res.message):
        raise RuntimeError(f"logistic fit did not converge: {res.message}")
    return np.maximum(res.x[:d], 0.0), float(res.x[d])


def _ndcg(score: np.ndarray, grade: np.ndarray, group: np.ndarray, ids: np.ndarray, k: int) -> tuple[float, int]:
    """Mean nDCG@k over groups (youths) with a positive grade, ranking each group's pairs by score."""
    values = []
    by_group = np.argsort(group, kind="stable")
    for at in np.split(by_group, np.flatnonzero(np.diff(group[by_group])) + 1):
        if len(at) == 0 or grade[at].max() <= 0:
            continue
        ranked = sorted(at.tolist(), key=lambda i: (-score[i], ids[i]))
        values.append(ndcg_at_k([ids[i] for i in ranked], {ids[i]: int(grade[i]) for i in at}, k))
    return (float(np.mean(values)) if values else 0.0), len(values)
