"""Words of the synthetic sample: fictional fans, and care phrases in Italian and English.

Fans are derived from an index (no list of people is stored): first name and
surname are picked by arithmetic on the index, so a fan pool of any size costs
nothing and the same index always gives the same fictional person.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "BRAND_POSTS", "BUMP", "CATEGORIES", "CATEGORY_WEIGHTS", "CITIES", "COMPLAINT", "FIRST_EN", "FIRST_IT",
    "FOLLOWUP", "Fan", "GENERIC", "ME_TOO", "POST_COMMENTS", "REPLY_COMMENT", "REPLY_DEFLECT",
    "REPLY_FOLLOWUP", "REPLY_HELP", "REPLY_PRAISE", "SIGNATURES", "SURNAME_EN", "SURNAME_IT", "THANKS",
    "THING", "fan", "fill", "pick", "request_template",
]

FIRST_IT = (
    "Giulia", "Marco", "Francesca", "Luca", "Chiara", "Alessandro", "Sara", "Matteo", "Martina", "Davide",
    "Elena", "Andrea", "Valentina", "Simone", "Federica", "Stefano", "Alessia", "Paolo", "Silvia", "Giorgio",
    "Roberta", "Fabio", "Laura", "Antonio", "Ilaria", "Nicola", "Serena", "Emanuele", "Claudia", "Riccardo",
    "Anna", "Lorenzo", "Beatrice", "Daniele", "Monica", "Tommaso", "Giada", "Pietro", "Marta", "Gianluca",
)
SURNAME_IT = (
    "Rossi", "Bianchi", "Esposito", "Colombo", "Ricci", "Marino", "Greco", "Bruno", "Gallo", "Conti",
    "De Luca", "Mancini", "Costa", "Giordano", "Rizzo", "Lombardi", "Moretti", "Barbieri", "Fontana", "Santoro",
    "Mariani", "Rinaldi", "Caruso", "Ferrara", "Galli", "Martini", "Leone", "Longo", "Gentile", "Martinelli",
    "Vitale", "Serra", "Coppola", "De Santis", "Marchetti", "Parisi", "Villa", "Cattaneo", "Fabbri", "Pellegrini",
)
FIRST_EN = (
    "Emma", "James", "Olivia", "Thomas", "Sophie", "Daniel", "Hannah", "Oliver", "Grace", "Jack",
    "Chloe", "Ryan", "Lucy", "Ethan", "Amelia", "Noah", "Isla", "Liam", "Ruby", "Adam",
)
SURNAME_EN = (
    "Smith", "Walker", "Turner", "Hughes", "Clarke", "Bennett", "Price", "Harris", "Murphy", "Fisher",
    "Hall", "Wright", "Evans", "Baker", "Foster", "Carter", "Lloyd", "Morgan", "Reid", "Porter",
)
CITIES = (
    "Milano", "Roma", "Napoli", "Torino", "Bologna", "Firenze", "Bari", "Palermo", "Genova", "Verona",
    "Padova", "Trieste", "Cagliari", "Perugia", "Lecce", "Brescia", "Parma", "Ancona", "Trento", "Catania",
)


@dataclass(frozen=True)
class Fan:
    """A fictional customer."""

    index: int
    name: str
    first: str
    handle: str
    english: bool


def fan(index: int, english: bool) -> Fan:
    """The fictional fan with this index in the Italian or English pool."""
    firsts, surnames = (FIRST_EN, SURNAME_EN) if english else (FIRST_IT, SURNAME_IT)
    first = firsts[index % len(firsts)]
    surname = surnames[(index // len(firsts) * 7 + index) % len(surnames)]
    base = surname.lower().replace(" ", "")
    # letters, "_", letters, digits: the trailing index keeps every handle unique within 15 characters
    handle = f"{first.lower()[:5]}_{base[:3]}{index}" if index % 2 else f"{base[:5]}_{first.lower()[:3]}{index}"
    return Fan(index, f"{first} {surname}", first, handle[:15], english)

# Sector vocabulary: (Italian thing, English thing) the customer writes about.
THING = {
    "telco": ("la linea", "my line"), "post": ("il pacco", "my parcel"), "banking": ("il conto", "my account"),
    "airline": ("il volo", "my flight"), "tv": ("l'abbonamento", "my subscription"), "retail": ("l'ordine", "my order"),
    "energy": ("la fornitura", "my supply"), "insurance": ("la pratica", "my claim"), "transport": ("il treno", "my train"),
    "utilities": ("la fornitura d'acqua", "my water supply"),
}

# Requests by category: complaint about the service, billing/refund, question, praise.
COMPLAINT = {
    "telco": (
        ("Da stamattina la fibra non funziona a {city}, il modem lampeggia rosso. Quando tornerà la linea?",
         "Terzo giorno senza internet a {city}. Lavoro da casa, è inaccettabile!",
         "Nessun segnale sul cellulare in zona {city} centro da ieri sera, cosa succede?"),
        ("My fiber has been down since this morning in {city}. Any ETA?",
         "No mobile signal in {city} since yesterday, is there an outage?"),
    ),
    "post": (
        ("Il pacco {num} risulta in consegna da {days} giorni ma non arriva nessuno.",
         "Raccomandata {num} ferma al centro di smistamento di {city} da una settimana, perché?",
         "Il corriere ha lasciato l'avviso di giacenza ma io ero a casa! Pacco {num}"),
        ("My parcel {num} has been 'out for delivery' for {days} days. Where is it?",
         "Tracking for {num} hasn't updated in a week."),
    ),
    "banking": (
        ("L'app non mi fa accedere da ieri, errore di autenticazione. Come faccio a fare il bonifico?",
         "Bonifico di ieri non ancora arrivato al destinatario, riferimento {num}.",
         "Carta bloccata all'estero senza preavviso, sono rimasto senza contanti a {city}!"),
        ("The app keeps logging me out and I can't make a transfer. Please help.",
         "My card was declined abroad, reference {num}."),
    ),
    "airline": (
        ("Volo {num} da {city} cancellato all'ultimo minuto, nessuna assistenza al gate!",
         "Bagaglio non arrivato a {city}, pratica {num}. Nessuno risponde al numero verde.",
         "Il check-in online non funziona per il volo {num}, come faccio?"),
        ("Flight {num} from {city} cancelled with no information at the gate. What now?",
         "My bag did not arrive in {city}, file reference {num}. Nobody answers the phone.",
         "Online check-in fails for flight {num}, please help."),
    ),
    "tv": (
        ("La partita si blocca ogni due minuti sull'app, abbonamento pagato!",
         "Da ieri sera il decoder non trova più i canali a {city}.",
         "Non riesco a disdire l'abbonamento dal sito, il pulsante non funziona."),
        ("The app keeps buffering during the match, I'm paying for HD!",
         "Can't cancel my subscription online, the button doesn't work."),
    ),
    "retail": (
        ("Ordine {num} mai arrivato, sono passati {days} giorni.",
         "Mi è arrivato un prodotto diverso da quello ordinato ({num}). Come faccio il reso?",
         "Il negozio di {city} non accetta il buono regalo, perché?"),
        ("Order {num} never arrived, it's been {days} days.",
         "I received the wrong item for order {num}. How do I return it?"),
    ),
    "energy": (
        ("Bolletta di {days}00 euro per un bilocale a {city}, è sicuramente un errore di lettura!",
         "Da {days} giorni aspetto la voltura, contratto {num}.",
         "Senza corrente in tutta la via a {city} da due ore, è un guasto vostro?"),
        ("My bill is {days}00 euros for a small flat in {city}, the meter reading must be wrong.",
         "Power cut on our street in {city} for two hours, is it a fault on your side?"),
    ),
    "insurance": (
        ("Sinistro {num} aperto da {days} settimane, nessun perito si è fatto vivo.",
         "Ho pagato la polizza ma risulta ancora scaduta, pratica {num}.",
         "Il carro attrezzi non arriva da tre ore in autostrada vicino a {city}!"),
        ("Claim {num} opened {days} weeks ago and nobody has contacted me.",
         "Roadside assistance hasn't arrived in three hours near {city}!"),
    ),
    "transport": (
        ("Treno {num} delle 7:40 soppresso di nuovo senza avviso a {city}. Ogni settimana!",
         "Ritardo di {days}0 minuti sul regionale per {city}, il rimborso come si chiede?",
         "Aria condizionata rotta sul treno {num}, si soffoca."),
        ("Train {num} to {city} cancelled again without notice.",
         "How do I claim a refund for a {days}0 minute delay?"),
    ),
    "utilities": (
        ("Senza acqua a {city} da stamattina, nessun avviso di lavori.",
         "Bolletta dell'acqua raddoppiata senza motivo, contratto {num}.",
         "Perdita d'acqua in strada a {city} segnalata tre giorni fa, ancora lì."),
        ("No water in {city} since this morning, no notice of works.",
         "My water bill doubled for no reason, contract {num}."),
    ),
}
GENERIC = {
    "billing": (
        ("Mi avete addebitato due volte lo stesso importo, chi mi rimborsa?",
         "Aspetto il rimborso da {days} settimane, pratica {num}. Qualcuno mi sa dire qualcosa?",
         "Ho ricevuto una fattura per un servizio che ho disdetto mesi fa.",
         "Il rimborso promesso non è mai arrivato. Riferimento {num}."),
        ("You charged me twice this month, when do I get my money back?",
         "Still waiting for my refund after {days} weeks, reference {num}."),
    ),
    "question": (
        ("Buongiorno, come posso cambiare l'indirizzo di {thing}?",
         "Ciao! Quali sono gli orari del punto vendita di {city}?",
         "È possibile modificare {thing} online o devo venire di persona?",
         "Info: c'è un numero da chiamare per {thing} la domenica?"),
        ("Hi, how can I change the details of {thing}?",
         "Hello, is there a phone number I can call on Sundays?"),
    ),
    "praise": (
        ("Complimenti al vostro servizio clienti, problema risolto in dieci minuti!",
         "Grazie per la gentilezza dell'operatore di ieri, finalmente qualcuno competente.",
         "Devo dire che stavolta siete stati velocissimi, bravi!"),
        ("Great service from your team today, thank you!",
         "Problem solved in ten minutes, well done!"),
    ),
}
CATEGORIES = ("complaint", "billing", "question", "praise")
CATEGORY_WEIGHTS = (0.5, 0.2, 0.2, 0.1)

REPLY_HELP = (
    ("Ciao {first}, ci dispiace per il disagio. Abbiamo segnalato il caso ai colleghi, ti aggiorniamo qui appena possibile. ^{sig}",
     "Buongiorno {first}, stiamo verificando: puoi confermarci la città e da quando hai il problema? ^{sig}",
     "Ciao {first}, il problema è noto e i tecnici sono al lavoro. Il servizio dovrebbe tornare entro la giornata. ^{sig}",
     "Ciao {first}, abbiamo controllato: la pratica {num} è in lavorazione, riceverai una mail di conferma. ^{sig}"),
    ("Hi {first}, sorry about this. We've passed it on to the team and will update you here. ^{sig}",
     "Hello {first}, we're looking into it: can you tell us when the problem started? ^{sig}",
     "Hi {first}, our engineers are aware and working on it. ^{sig}"),
)
REPLY_DEFLECT = (
    ("Ciao {first}, scrivici in privato con il numero di contratto e verifichiamo subito. ^{sig}",
     "Ciao {first}, per tutelare la tua privacy ti chiediamo di scriverci in privato, ti aspettiamo! ^{sig}",
     "Buongiorno {first}, mandaci un messaggio privato con i tuoi dati così controlliamo la pratica. ^{sig}"),
    ("Hi {first}, please send us a private message with your booking reference and we'll check. ^{sig}",
     "Hi {first}, could you DM us your details? We'll look into it straight away. ^{sig}"),
)
REPLY_PRAISE = (
    ("Grazie mille {first}, giriamo i complimenti al team! ^{sig}",
     "Che bello leggerlo, grazie {first}! ^{sig}"),
    ("Thank you {first}, we'll pass it on to the team! ^{sig}",),
)
REPLY_FOLLOWUP = (
    ("Abbiamo ricevuto il tuo messaggio privato {first}, ti rispondiamo lì a breve. ^{sig}",
     "Grazie {first}, abbiamo sollecitato i colleghi: ti contattiamo entro 48 ore. ^{sig}",
     "Ci scusiamo ancora {first}, la pratica è stata presa in carico con priorità. ^{sig}"),
    ("Thanks {first}, we got your message and will reply there shortly. ^{sig}",
     "Sorry again {first}, we've escalated your case. ^{sig}"),
)
FOLLOWUP = (
    ("Vi ho scritto in privato ma nessuno risponde.", "Fatto, vi ho mandato un messaggio privato.",
     "Ancora niente dopo {days} giorni...", "Il problema c'è ancora, potete fare qualcosa?",
     "Ok ma quando si risolve? Ho bisogno di {thing} oggi."),
    ("I've sent you a DM but no reply yet.", "Done, DM sent.", "Still not fixed after {days} days...",
     "OK but when will it be fixed?"),
)
THANKS = (
    ("Grazie mille, risolto!", "Grazie, gentilissimi.", "Ok grazie, attendo.", "Perfetto, grazie!"),
    ("Thanks, sorted!", "Thank you, much appreciated.", "OK thanks, I'll wait."),
)
BUMP = (
    ("Qualcuno mi risponde??", "Ancora nessuna risposta...", "Servizio clienti inesistente.",
     "Vi ho scritto ieri, possibile che nessuno legga?"),
    ("Hello? Anyone there?", "Still no answer...", "Is anybody reading this?"),
)
ME_TOO = (
    ("Anche a me lo stesso problema a {city}!", "Idem, uguale da giorni.", "Stessa cosa qui, che vergogna."),
    ("Same problem here in {city}!", "Same here."),
)
BRAND_POSTS = {
    "it": (
        "Novità di stagione: scopri le nostre offerte per {thing} sul sito!",
        "Lavori programmati nella notte tra martedì e mercoledì: possibili disservizi a {city}.",
        "Grazie a tutti voi per la fiducia: oggi festeggiamo un traguardo importante!",
        "Hai domande su {thing}? Il nostro team risponde qui dal lunedì al venerdì.",
        "Nuova app disponibile: più semplice gestire {thing} dal telefono.",
    ),
    "en": ("Our new app is out: managing {thing} has never been easier.",),
}
POST_COMMENTS = (
    ("Bello, ma intanto {thing} non funziona da giorni.", "Come si attiva l'offerta?", "Finalmente!",
     "E i clienti già vostri? Niente sconti?", "Ho scritto tre volte senza risposta, altro che novità.",
     "Ottimo servizio, continuate così."),
    ("How do I get this offer?", "Nice, but {thing} still doesn't work.", "Great news!"),
)
REPLY_COMMENT = (
    ("Ciao {first}, trovi tutti i dettagli sul nostro sito; per il tuo caso scrivici in privato. ^{sig}",
     "Grazie {first}! ^{sig}", "Ciao {first}, ci dispiace: scrivici in privato e controlliamo. ^{sig}"),
    ("Hi {first}, all the details are on our website; DM us about your case. ^{sig}", "Thanks {first}! ^{sig}"),
)
SIGNATURES = ("GL", "MR", "AF", "SP", "CB", "LT", "EV", "DM", "RN", "FP")


def pick(options: tuple[str, ...], k: int) -> str:
    """Template number ``k`` (any non-negative int) of ``options``."""
    return options[k % len(options)]


def fill(template: str, *, k: int, sector: str = "telco", english: bool = False, first: str = "", sig: str = "") -> str:
    """Fill a template's placeholders deterministically from the integer ``k``."""
    thing = THING.get(sector, ("il servizio", "the service"))[1 if english else 0]
    return template.format(
        city=CITIES[k % len(CITIES)],
        num=f"{(k * 7919) % 900_000 + 100_000}",
        days=2 + k % 9,
        thing=thing,
        first=first,
        sig=sig,
    )


def request_template(sector: str, category: int, english: bool, k: int) -> str:
    """A customer's first message of this category."""
    lang = 1 if english else 0
    if category == 0:
        return pick(COMPLAINT[sector][lang], k)
    return pick(GENERIC[CATEGORIES[category]][lang], k)
