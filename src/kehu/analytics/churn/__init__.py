"""Churn risk: who is about to leave, how likely, and why (plain Python, no Django).

``contractual.ChurnClassifier``  one row per subscriber -> P(churn), LightGBM on a logistic
                                 base, calibrated out of fold, with a held-out report
``activity.ActivityModel``       purchase log -> P(no purchase in the horizon), trained on
                                 time-shifted windows of the base's own history
``reasons``                      per-customer contributions -> plain words (en, zh-Hans)
``backtest``                     replay past month-ends and measure what happened next
``scoring``                      the score table, locally or per partition on Spark
``cli``                          ``kehu churn fit|score|activity|backtest``
"""
