"""The 2018-2022 survey of KKR Hovedstaden as a template (seed 004, last part: "Rapport KKR
Hovedstaden — Spørgeskema om valgperioden 2018-2022"): its sections, questions, scales and
follow-ups, with the counts the demo's 24 responses follow (n as in the report; where the
report's bars are lost to the text extraction, plausible counts that add up to that n).

Each question: (key, text, kind, scale or own options, counts, extras). A follow-up is a dict
under "follow_up" with the texts the report lists.
"""

from .rules import DONT_KNOW

TITLE = "Evaluering af KKR-arbejdet i valgperioden"
INTRO = (
    "Spørgeskemaet samler op på KKR-samarbejdet i den valgperiode, der slutter. "
    "Besvarelserne er anonyme. Det tager ca. 10 minutter."
)
COMMENT = "Uddyb gerne, hvis du har yderligere kommentarer:"
HOW = "Uddyb gerne, hvilke og hvordan?"

SECTIONS = [
    {
        "title": "Tilknytning til KKR",
        "audience": "",
        "questions": [
            {
                "key": "tilknytning",
                "text": "Angiv din tilknytning til KKR",
                "kind": "single",
                # Every invited group has an answer (rules.GROUP_ANSWERS): the 2018-2022 survey
                # had none for substitutes and plain council members, though both were invited.
                "options": [
                    "Medlem og udpeget",
                    "KKR-udpeget",
                    "Medlem af KKR som borgmester",
                    "Medlem som kommunalbestyrelsesmedlem",
                    "Stedfortræder for et KKR-medlem",
                    "Kommunalbestyrelsesmedlem, ikke medlem af KKR",
                ],
                "required": True,
                "counts": [2, 3, 12, 7, 0, 0],
            },
            {
                "key": "medlem-laengde",
                "text": "Hvor længe har du været medlem af KKR?",
                "kind": "single",
                "options": ["Hele valgperioden", "Noget af valgperioden"],
                "counts": [16, 6],
            },
            {
                "key": "udpeget-laengde",
                "text": "Hvor længe har du været KKR-udpeget til et eller flere regionale fora?",
                "kind": "single",
                "options": ["Noget af valgperioden", "Hele valgperioden"],
                "counts": [1, 2],
            },
        ],
    },
    {
        "title": "Del 1 — Det generelle indtryk af KKR-samarbejdet i valgperioden",
        "audience": "",
        "questions": [
            {
                "key": "samlet-indtryk",
                "text": "Hvad er dit samlede indtryk af KKR-arbejdet i denne valgperiode?",
                "kind": "single",
                "scale": "quality",
                "required": True,
                "counts": [6, 13, 3, 1, 0, 1],
            },
            {
                "key": "mest-udbytterigt",
                "text": "Hvilken del af KKR-arbejdet har været mest udbytterigt for dig?",
                "kind": "text",
                "texts": [
                    "Deltager i et udvalg og dette udvalg fungerer fint - indsigt og fokus på kvalitet",
                    "At få et bedre indblik i den måde hvorpå arbejdsmarkedets parter tænker",
                    "Fyldige informationer om hvad der foregår i forskellige fora og organisationer; et godt "
                    "samarbejde mellem kommunerne om fx særlige pladser i det specialiserede socialområde eller "
                    "om VIP-projekter indenfor trafik og klima",
                    "Debatter om forskellige tiltag og nytænkning",
                    "Temadrøftelserne om regional udvikling, transport, m.v.",
                    "Sammenholdet kommunerne på tværs",
                    "Fælles koordinering og drøftelser af særlige regional karakter og større udfordringer, hvor "
                    "det giver god mening med fælles tilgang og koordinering fx trafik og det specialiserede "
                    "område eller ny økonomimodel. Netværk (især når vi fysisk kan mødes) med "
                    "erfaringsudveksling er også en positiv tillægsgevinst.",
                    "Orientering",
                    "Tværfaglige temaer; parti sparring",
                    "Indsigt i det arbejde der foregår på et overordnet plan i KKR-regi",
                    "Den generelle orientering",
                    "Der sættes et overordnet og koordineret fokus på en række dagsordner, som f.eks. "
                    "handicapområdet, trafik, erhvervsudvikling m.v.",
                    "Social- og sundhedsområdet",
                    "Erfaringsudveksling. Fælles fodslag på vigtige tværkommunale sager",
                    "Godt at få bred information om emnerne",
                    "KKR arbejder strategisk, og det er lykkedes at samle kommunerne om mange vigtige dagsordner "
                    "på en måde, så det kan bruges som fælles interessevaretagelse",
                    "At møde de andre politikere og forberedelse",
                    "Samarbejdet og varetagelsen af opgaver, der går på tværs i den enkelte KKR-geografi og i de "
                    "enkelte kommuner",
                    "Oplæg fra eksperter",
                    "Beskæftigelse. Jeg er udpeget til RAR og sidder i Sagsudvalget",
                    "Den brede enighed om klimaindsatsen og derudover overblikket over de forskellige holdninger "
                    "kommunerne imellem",
                    "De emner som er tværkommunale.",
                ],
            },
            {
                "key": "koordineringsforum",
                "text": "I hvilken grad oplever du, at KKR er et godt koordineringsforum mellem kommunerne i regionen?",
                "kind": "single",
                "scale": "degree",
                "required": True,
                "counts": [5, 12, 6, 1, 0, 0],
            },
            {
                "key": "vigtigt-for-kommunalbestyrelsen",
                "text": "I hvilken grad oplever du, at KKR-arbejdet er vigtigt for kommunalbestyrelsen i din kommune?",
                "kind": "single",
                "scale": "degree",
                "required": True,
                "counts": [1, 4, 9, 8, 1, 1],
                "comment": [
                    "Beskæftigelsesområdet styres i langt højere grad af ministeriet og gennem styrelsen, end "
                    "via KKR og RAR",
                    "Vigtigheden er vokset støt i de år, som jeg har siddet i KKR",
                    "Vores byråd vender “skævt” i forhold til KKR, så det fylder ikke så meget",
                    "De fleste kommunalbestyrelsesmedlemmer, der ikke er direkte involveret, interesserer sig "
                    "ikke for det - hører måske for lidt og bliver ikke inddraget i, hvad der er på dagsordenen "
                    "eller ønsker ikke at involvere sig. Der er nok andet at følge med i",
                    "Jeg tror ikke, at samarbejdet i KKR som sådan står lige klart for alle byrådsmedlemmer. Til "
                    "gengæld er det væsentligt, når KKR vil spørge byrådene om noget, at de har en ordentlig "
                    "chance for at sætte sig ind i sagerne og udtale sig om dem",
                    "Det er sjældent eller aldrig specifikt på dagsordenen",
                    "Jeg tror det føles som længere væk fra deres lokalpolitiske hverdag.",
                ],
            },
            {
                "key": "samarbejde-kommunalbestyrelser",
                "text": "Hvordan oplever du konkret samarbejdet og sammenhængen mellem KKR og kommunalbestyrelserne?",
                "kind": "single",
                "scale": "quality",
                "required": True,
                "counts": [1, 8, 10, 4, 0, 1],
                "comment": [
                    "Samarbejdet foregår mere gennem rekrutteringsfællesskaberne og i det daglige mellem "
                    "jobcenterchefer",
                    "Jeg oplever ikke den store sammenhæng i dagligdagen",
                    "Se tidlig bemærkninger",
                    "Der er dog langt fra KKR til byrådene. Borgmestrene har en god dialog og gode møder",
                    "Mener, at KKR er kommet til at fungere udmærket, se i øvrigt kommentaren til det "
                    "foregående spørgsmål",
                    "Den viden der frembringes, sættes ikke formelt i spil til gavn for byrådet. Indgår mere som "
                    "baggrundsviden for borgmester, adm. og øvrige KKR-medlemmer",
                    "De regionale spørgsmål tages sjældent eller aldrig op lokalt.",
                ],
            },
            {
                "key": "taleroer",
                "text": "I hvilken grad oplever du, at KKR fremstår som et troværdigt og kvalificeret talerør for "
                "kommunerne over for regionen/øvrige samarbejdspartnere?",
                "kind": "single",
                "scale": "degree",
                "required": True,
                "counts": [4, 11, 6, 2, 0, 1],
                "comment": [
                    "Jeg går ud fra, at KKR gennem KL giver indspil nationalt",
                    "Det gælder i de sager hvor vi har en fælles holdning. I en del tilfælde har kommunerne "
                    "forskellige holdninger, og så giver det mere mening, at de udtaler sig hver for sig eller i "
                    "mindre grupper.",
                    "Jeg oplever ikke, at KKR på den måde er et talerør, fx har man ikke hørt noget til KKR siden "
                    "regeringsskiftet, selvom det havde været oplagt med meldinger på corona, "
                    "infrastruktur-udspillet, osv.",
                    "Da borgmestrene sidder med, er det jo mandatet svarende til kommunalbestyrelserne",
                    "Folk ved generelt ikke hvad det er for et forum.",
                ],
            },
            {
                "key": "styrke-relationer",
                "text": "Er der behov for at styrke KKR's relationer til regionen/øvrige samarbejdspartnere inden "
                "for konkrete områder?",
                "kind": "single",
                "options": ["Ja - uddyb gerne, hvilke og hvordan?", "Nej", DONT_KNOW],
                "counts": [12, 5, 6],
                "follow_up": {
                    "key": "styrke-relationer-hvordan",
                    "text": HOW,
                    "for": "Ja - uddyb gerne, hvilke og hvordan?",
                    "texts": [
                        "KKR skal være mere opsøgende/udfarende ift. samarbejdspartnere",
                        "Sundhed",
                        "Kan godt styrke samarbejdet og koordineringen med regionen yderligere",
                        "Det specialiserede områder kan godt løftes endnu mere i fællesskabet",
                        "Det ville nok være formålstjenligt, hvis kommunerne skal stå stærkere",
                        "Sygehuse og det nære sundhedsvæsen",
                        "Med RegH på sundhed og med velfærdsuddannelserne",
                        "Mere åbenhed om arbejdet",
                        "Mulighed for møder på tværs af KKR & KKU om relevante emner",
                        "Overordnet infrastruktur",
                        "Råstofplanen.",
                    ],
                },
            },
            {
                "key": "faelles-loesninger",
                "text": "I hvilken grad oplever du, at KKR udvikler værdifulde fælles løsninger og politikker?",
                "kind": "single",
                "scale": "degree",
                "required": True,
                "counts": [2, 10, 8, 1, 0, 1],
                "comment": [
                    "Det sker i nogen grad, men kommunerne er meget forskellige - store kommuner ctr. små "
                    "landkommuner - f.eks. hospitalsvæsenet, hvor nogen kommuner har et hospital i “baghaven” og "
                    "andre har væsentligt længere, men det tages der ikke tilstrækkeligt hensyn til.",
                    "Især projektet med prioriterede infrastrukturønsker er meget vellykket.",
                ],
            },
            {
                "key": "styrke-politikomraader",
                "text": "Er der politikområder, hvor det fælleskommunale samarbejde i KKR med fordel kan styrkes?",
                "kind": "single",
                "options": ["Hvis ja - uddyb gerne, hvilke og hvordan?", "Nej", DONT_KNOW],
                "counts": [9, 2, 11],
                "follow_up": {
                    "key": "styrke-politikomraader-hvordan",
                    "text": HOW,
                    "for": "Hvis ja - uddyb gerne, hvilke og hvordan?",
                    "texts": [
                        "Voksen/handicapområdet",
                        "Gerne yderligere på specialiserede område og trafik",
                        "De specialiserede områder",
                        "Social- og sundhedsområdet måske også beskæftigelsesområdet",
                        "Samarbejde om tværkommunale løsninger på det specialiserede socialområde",
                        "Mere involvering af kommunerne",
                        "Infrastrukturen",
                        "Udfordringerne på det specialiserede område.",
                    ],
                },
            },
            {
                "key": "samspil-kl",
                "text": "I hvilken grad oplever du, at der er et godt samspil mellem KKR og KL?",
                "kind": "single",
                "scale": "degree",
                "required": True,
                "counts": [1, 7, 8, 3, 1, 2],
                "comment_text": HOW,
                "comment": [
                    "Fint at KL kan vende oplæg og forslag med KKR - det synes jeg styrker dialogen",
                    "Jeg oplever de to enheder som totalt afkoblede",
                    "Mener at mere af KL-kontingentet kunne gå til at styrke KKR, og at opgaverne i KKR er så "
                    "mange, at flere af midlerne til KL bør gå til KKR.",
                ],
            },
            {
                "key": "kl-inddrager",
                "text": "I hvilken grad oplever du, at KL inddrager KKR i relevante spørgsmål?",
                "kind": "single",
                "scale": "degree",
                "required": True,
                "counts": [0, 6, 9, 4, 0, 3],
                "comment": [
                    "Igen en stigende kurve",
                    "Jeg har lagt mærke til lidt i forbindelse med enkelte sager/møder, men der kan sagtens "
                    "foregå noget, jeg ikke ser",
                ],
            },
        ],
    },
    {
        "title": "Del 2 — Afviklingen og indholdet af KKR-møder i denne valgperiode",
        "audience": "member",
        "intro": "Denne del besvares kun af KKR-medlemmer.",
        "questions": [
            {
                "key": "indhold-relevant",
                "text": "I hvilken grad oplever du, at indholdet på møderne i KKR er relevant for dig?",
                "kind": "single",
                "scale": "degree",
                "required": True,
                "counts": [4, 10, 6, 1, 0, 0],
                "comment": [
                    "Det er altid interessant at høre hvordan andre kommuner løser opgaver",
                    "Nogle områder er ikke indenfor mine arbejdsområder. Det betyder ikke, at de ikke er "
                    "relevante",
                ],
            },
            {
                "key": "udbytte-moeder",
                "text": "Hvad oplever du at få ud af KKR-møderne?",
                "kind": "multiple",
                "help_text": "Flere svar kan godt vælges",
                "options": [
                    "Netværk med partifæller fra andre kommuner",
                    "Netværk med politikere fra andre partier",
                    "Interessante politiske drøftelser",
                    "Ny/opdateret viden på forskellige fagområder",
                    "Deltagelse i vigtige beslutninger",
                ],
                "other": "Andet - uddyb gerne",
                "counts": [9, 13, 15, 17, 8, 0],
            },
            {
                "key": "omfang-bilag",
                "text": "I hvilken grad oplever du, at omfanget af dagsorden og bilag til møder i KKR er passende?",
                "kind": "single",
                "scale": "degree",
                "required": True,
                "counts": [2, 8, 7, 3, 1, 0],
                "comment": [
                    "Der er alt for mange bilag at skulle igennem på den korte tid, der er fra dagsordenen, "
                    "bliver udsendt og til mødet",
                ],
            },
            {
                "key": "sagstyper",
                "text": "Hvordan er forholdet mellem de forskellige typer af sager på KKR-dagsordenen?",
                "kind": "multiple",
                "help_text": "Flere svar kan vælges",
                "options": [
                    "For få beslutningssager",
                    "For få sager til drøftelse",
                    "Passende",
                    "For mange beslutningssager",
                    "For mange sager til drøftelse",
                    DONT_KNOW,
                ],
                "counts": [3, 4, 13, 0, 1, 2],
                "comment": ["Fint med oplæg og orienteringer, men jeg er der for at træffe beslutninger"],
            },
            {
                "key": "eksterne-oplaeg",
                "text": "Hvordan fungerer det med (eksterne) oplæg på møderne i KKR?",
                "kind": "single",
                "scale": "quality",
                "required": True,
                "counts": [3, 12, 5, 1, 0, 0],
                "comment": [
                    "Der har været en voldsom slagside på oplæggene - som da Movia fik halvanden time til at "
                    "smadre løs på HOT-udspillet, uden nogen form for modspil, refleksion over egne "
                    "forbedringspotentialer, m.v.",
                    "Måske for mange indlæg :-)",
                    "Det afhænger meget af oplægsholderen. Ofte er det godt, og ofte lægger det noget til det, "
                    "som allerede er sendt ud. Det er vigtigt at oplæggene kan netop det, og ikke bliver "
                    "gentagelser af skriftlige oplæg.",
                ],
            },
            {
                "key": "antal-moeder",
                "text": "Hvordan oplever du antallet af KKR-møder (fem årlige møder)?",
                "kind": "single",
                "scale": "amount",
                "required": True,
                "counts": [1, 19, 0, 1],
            },
            {
                "key": "moedelaengde",
                "text": "Hvordan oplever du længden af KKR-møderne?",
                "kind": "single",
                "options": ["For lange", "Passende", "For korte", DONT_KNOW],
                "required": True,
                "counts": [2, 18, 1, 0],
            },
            {
                "key": "virtuelle-moeder",
                "text": "Hvordan har det fungeret, at KKR-møderne har været overvejende virtuelle i perioden med "
                "Corona?",
                "kind": "single",
                "scale": "quality",
                "required": True,
                "counts": [2, 11, 6, 2, 0, 0],
                "comment": [
                    "Fysiske møder er dog bedre. Hvis det kunne lade sig gøre, kunne virtuel deltagelse i "
                    "fremtidige møder som i øvrigt er fysiske give mig eller andre mulighed for at deltage på en "
                    "presset dag.",
                    "Energien er forsvundet",
                    "Der kunne godt arbejdes videre med et mix mellem digitale og fysiske møder",
                    "Det er ok nogle gange - men det fysiske møde er også vigtigt",
                    "Det er ok med de virtuelle møder når det er nødvendigt, men det er bedre med fysiske møder",
                    "De virtuelle møder har været en præmis, men fysiske møder er at foretrække når vi taler "
                    "ordinære møder. Er der en enkelt sag, der skal afklares, er det super med et virtuelt møde",
                    "Det er ok, fremover kan man måske skifte lidt ml virtuelle og fysiske...",
                    "Det har fungeret godt - men jeg foretrækker til en hver tid fysiske møder",
                    "Det vil altid komme an på emnet, der skal drøftes. Noget egner sig fint til det virtuelle og "
                    "andet er bedre drøftet ved fysisk fremmøde.",
                ],
            },
            {
                "key": "forslag-afvikling",
                "text": "Har du øvrige bemærkninger/forslag til afvikling af KKR-møderne?",
                "kind": "text",
                "texts": [
                    "Omfanget af afrapporteringer fra de forskellige udvalg kan af og til forekomme overflødige. "
                    "Hellere fokusere når der er noget særligt og så give tid til debat",
                    "Dagsordenen er ofte lidt for tæt pakket i forhold til den afsatte tid.",
                ],
            },
            {
                "key": "opmaerksomhedspunkter",
                "text": "Er der andre opmærksomhedspunkter, der skal viderebringes til det nye KKR?",
                "kind": "text",
                "texts": ["Nej"],
            },
        ],
    },
]
