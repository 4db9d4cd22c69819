"""Chart labels in English and Italian: plain texts, so the report's wording can read them without matplotlib."""

from __future__ import annotations

from ..errors import ParameterError

__all__ = ["LABELS", "LANGS", "labels"]

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "median_frt": "Median first-response time",
        "frt": "First-response time",
        "response_rate": "Response rate",
        "share_requests": "Share of requests answered within t",
        "time_since": "t: time since the request (log scale)",
        "dist_note": "Unanswered requests never count as answered, so each curve ends at the brand's response rate (in the legend). Open requests (still inside the open window when the data ends) are left out, as in the table: at 30m, 1h and 24h the curves read the table's ≤30m, ≤1h and ≤24h.",
        "curve_label": "{label}: {share} answered",
        "shown": "{shown} of {total} brands shown (--top to change)",
        "not_drawn": "{n} brand(s) with no answered request cannot be drawn",
        "all_answered": "Every brand answers 100% of its requests: the data seems to hold only answered threads (as TWCS exports do), so the response rate cannot tell brands apart.",
        "fast_responsive": "fast & responsive",
        "median_rate": "median rate {rate}",
        "median_line": "median of ranked brands {value}",
        "median_frt_short": "Median first response",
        "within_1h_short": "Answered within 1 h",
        "card_rank": "Rank {rank} of {of}",
        "card_unranked": "Not ranked (fewer than {n} requests)",
        "card_sector": "{sector} median",
        "card_all": "median of ranked brands",
        "card_n": "n = {answered} answered of {requests} requests",
        "card_trend": "Median first response by month",
        "dot_note": "Dot: median (log scale: read the position, not a length)",
        "partial": "partial",
        "partial_note": "Shaded: partial {period} (the data covers only part of it)",
        "requests": "Requests",
        "ranking_title": "Median first-response time by brand",
        "ranking_note": "Grey: fewer than {n} requests (not ranked)",
        "ci_note": "Whiskers: 95% confidence interval of the median",
        "map_title": "Social caring map",
        "map_note": "Bubble area: answered requests. Right = slower, up = answers more.",
        "dist_title": "How fast brands answer: share of requests answered within t",
        "heat_requests": "Requests by hour of the week ({tz})",
        "heat_frt": "Median first-response time by hour of the week ({tz})",
        "hour": "Hour of day",
        "trend_title": "Trend by {period}",
        "month": "month",
        "week": "week",
        "days": "Mon Tue Wed Thu Fri Sat Sun",
    },
    "it": {
        "median_frt": "Tempo mediano di prima risposta",
        "frt": "Tempo di prima risposta",
        "response_rate": "Tasso di risposta",
        "share_requests": "Quota di richieste con risposta entro t",
        "time_since": "t: tempo trascorso dalla richiesta (scala log)",
        "dist_note": "Le richieste senza risposta non contano mai come risposte: ogni curva si ferma al tasso di risposta del brand (in legenda). Le richieste aperte (ancora nella finestra di apertura a fine dati) sono escluse, come nella tabella: a 30m, 1h e 24h le curve danno i valori ≤30m, ≤1h e ≤24h della tabella.",
        "curve_label": "{label}: {share} con risposta",
        "shown": "{shown} brand su {total} mostrati (--top per cambiare)",
        "not_drawn": "{n} brand senza alcuna risposta non si possono disegnare",
        "all_answered": "Ogni brand risponde al 100% delle richieste: i dati sembrano contenere solo conversazioni con risposta (come gli export TWCS), quindi il tasso di risposta non distingue i brand.",
        "fast_responsive": "veloce e reattivo",
        "median_rate": "tasso mediano {rate}",
        "median_line": "mediana dei brand in classifica {value}",
        "median_frt_short": "Prima risposta mediana",
        "within_1h_short": "Con risposta entro 1 h",
        "card_rank": "Posizione {rank} su {of}",
        "card_unranked": "Fuori classifica (meno di {n} richieste)",
        "card_sector": "mediana {sector}",
        "card_all": "mediana dei brand in classifica",
        "card_n": "n = {answered} con risposta su {requests} richieste",
        "card_trend": "Prima risposta mediana per mese",
        "dot_note": "Punto: mediana (scala log: conta la posizione, non una lunghezza)",
        "partial": "parziale",
        "partial_note": "In grigio: {period} parziale (i dati ne coprono solo una parte)",
        "requests": "Richieste",
        "ranking_title": "Tempo mediano di prima risposta per brand",
        "ranking_note": "In grigio: meno di {n} richieste (non in classifica)",
        "ci_note": "Baffi: intervallo di confidenza al 95% della mediana",
        "map_title": "Mappa del social caring",
        "map_note": "Area della bolla: richieste con risposta. A destra = più lento, in alto = risponde di più.",
        "dist_title": "Velocità di risposta: quota di richieste con risposta entro t",
        "heat_requests": "Richieste per ora della settimana ({tz})",
        "heat_frt": "Tempo mediano di prima risposta per ora della settimana ({tz})",
        "hour": "Ora del giorno",
        "trend_title": "Andamento per {period}",
        "month": "mese",
        "week": "settimana",
        "days": "Lun Mar Mer Gio Ven Sab Dom",
    },
}

LANGS = tuple(LABELS)


def labels(lang: str) -> dict[str, str]:
    """The label set for ``lang`` (``en`` or ``it``)."""
    if lang not in LABELS:
        raise ParameterError("{lang} {value!r}: choose {choices}", "lang", value=lang, choices=" or ".join(LANGS))
    return LABELS[lang]
