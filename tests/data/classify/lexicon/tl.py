"""Tagalog phrase lexicon for the synthetic classifier data set."""

LANG = "tl"
SEP = " "
GREET = ["Magandang araw po,", "Hello po,", "Hi po,", "Magandang umaga po,", "Good day po,", "Kumusta po,"]
CLOSE = [
    "Salamat po.",
    "Maraming salamat po.",
    "Umaasa po ako sa inyong tugon.",
    "Salamat po sa tulong.",
    "Lubos na gumagalang,",
    "Ingat po.",
]
NAMES = ["Juan dela Cruz", "Maria Santos", "Jose Reyes", "Ana Bautista", "Mark"]
SIGN = [
    "Ipinadala mula sa aking iPhone",
    "--\n{name}\nBlk 5 Lot 12, Quezon City\nTel: +63 917 123 4567",
    "{name}\nCP: 0917 123 4567",
]
QUOTE_HEAD = [
    "Noong Lun, Hun 3, 2024 nang 10:12, sumulat si Customer Service <support@shop.example>:",
    "-----Original Message-----\nFrom: Customer Service <support@shop.example>",
]
QUOTE_BODY = [
    "Salamat sa pakikipag-ugnayan sa amin. Sasagot kami sa loob ng 48 oras.",
    "Ang inyong case number ay 88412. Mag-reply lang po sa email na ito kung may tanong pa kayo.",
    "Paumanhin po sa abala, tinitingnan na namin ang inyong kaso.",
]
PRODUCTS = ["jacket", "sopa", "coffee maker", "sapatos", "lampara", "blender", "bag", "bisikleta"]
ORDER_REF = ["order {n}", "order #{n}", "order number {n}", "order no. {n}", "#{n}"]
AMOUNT = ["₱{n}", "{n} pesos", "PHP {n}", "P{n}", "{n} piso"]
INTENTS = {
    "order_status": [
        "Nasaan na po ang package ko? Hindi ko pa rin natatanggap.",
        "Kailan po darating ang {o}?",
        "Hindi po nag-uupdate ang tracking ng {o} sa loob ng limang araw.",
        "Umorder po ako ng {p} noong isang linggo pero wala pa ring balita. Ano na po ang status?",
        "Naipadala na po ba ang {p} ko?",
        "Dapat dumating kahapon ang parcel pero hindi dumating. Ano pong nangyari sa {o}?",
        "Sabi sa tracking delivered na pero wala akong natanggap.",
        "kelan po darating order ko",
        "Pwede po bang malaman kung nasaan na ang {o}?",
    ],
    "order_change": [
        "Kailangan ko pong palitan ang delivery address ng {o}.",
        "Pwede ko pa po bang idagdag ang isa pang {p} sa {o} bago ipadala?",
        "Pakipalitan po ang size ng {p} ko mula M papuntang L.",
        "Gusto ko pong palitan ang kulay ng {p} sa {o} ng itim.",
        "Pwede po bang sa susunod na Biyernes na lang i-deliver ang {o}?",
        "Nagkamali po ako sa order, pwede ko bang palitan ang {p} ng ibang model bago ipadala?",
        "Pakibago po ang address ng {o} sa 5 Rizal Street.",
        "pwede ko po ba gawing express delivery ang order ko",
        "Gusto ko pong tanggalin ang isang item sa {o}, okay na ang iba.",
    ],
    "cancellation": [
        "Pakikansela po ang {o}.",
        "Gusto ko pong ikansela ang subscription ko.",
        "Hindi ko na po kailangan ang {p}, pakikansela ang order bago ipadala.",
        "Paano po ikansela ang membership ko?",
        "Pakikansela po ang order ko, nagkamali ako ng pindot.",
        "Gusto ko pong tapusin ang kontrata ko sa katapusan ng buwan.",
        "Pakihinto po ang subscription ko at huwag nang i-renew.",
        "kansel order {n}",
        "Nagbago na po ang isip ko, pakikansela agad ang {o}.",
    ],
    "refund_return": [
        "Gusto ko pong ibalik ang {p}, hindi kasya.",
        "Paano po makukuha ang refund para sa {o}?",
        "Ibinalik ko po ang {p} dalawang linggo na ang nakalipas pero wala pa rin ang pera ko.",
        "Pwede ko po bang ipapalit ang {p} ng mas malaking size?",
        "Paki-refund po ang {a}, sira ang item.",
        "Pahingi po ng return label para sa {o}.",
        "Dumating pong sira ang {p}, gusto kong maibalik ang pera ko.",
        "nasaan na po refund ko",
        "Naibalik ko na po ang parcel pero wala pa ang refund na {a}.",
    ],
    "billing": [
        "Dalawang beses po akong siningil para sa {o}.",
        "{a} po ang nasa invoice ko pero isang {p} lang ang inorder ko.",
        "Bakit po may bawas na {a} sa card ko ngayong buwan?",
        "Pwede po bang padalhan ako ng kopya ng resibo para sa {o}?",
        "Failed po ang bayad pero nabawas na ang pera sa account ko.",
        "Mali po ang TIN sa invoice ko.",
        "Hindi ko po kilala ang singil na {a} sa statement ng credit card ko.",
        "doble singil na naman",
        "Pakiayos po ang billing details sa huling bill ko.",
    ],
    "complaint": [
        "Sobrang hindi po ako natutuwa sa serbisyo ninyo.",
        "Napakabastos po ng rider ninyo sa akin.",
        "Pangatlong beses na pong late ang delivery ko, hindi na katanggap-tanggap ito.",
        "Napakapangit po ng kalidad ng {p}, mas maganda ang inaasahan ko.",
        "Walang sumasagot sa telepono at walang sumasagot sa mga email ko.",
        "Gusto ko pong magreklamo sa pagtrato sa akin sa tindahan ninyo.",
        "Ito na ang pinakamasamang karanasan ko bilang customer.",
        "pangit ng serbisyo, sobrang dismayado",
        "Hindi po tumulong ang staff ninyo at isang oras akong naghintay sa linya.",
    ],
    "technical_support": [
        "Hindi po ako makapag-login sa app, lumalabas ang error 500.",
        "Nagka-crash po ang website kapag magbabayad na ako.",
        "Ayaw na pong bumukas ng {p} ko mula nang mag-update.",
        "Hindi ko po natanggap ang email para i-reset ang password.",
        "Nagfi-freeze po ang app tuwing binubuksan ko ang orders ko.",
        "Laging napuputol ang Bluetooth ng {p} ko.",
        "Puting screen lang po ang lumalabas sa checkout sa cellphone ko.",
        "ayaw gumana ng app",
        "May lumalabas pong error kapag kinokonekta ko ang device.",
    ],
    "account_update": [
        "Paki-update po ang email address ko sa bago na nasa ibaba.",
        "Gusto ko pong palitan ang phone number sa account ko.",
        "Paano ko po mabubura ang account ko at lahat ng data ko?",
        "Pakipalitan po ang pangalan ko sa account, kasal na po ako.",
        "Pwede po bang i-update ang default address sa profile ko?",
        "Paki-unsubscribe po ako sa newsletter ninyo.",
        "Kailangan ko pong palitan ang password ng account ko.",
        "paki update po number ko",
        "Pwede po bang pagsamahin ang dalawa kong account?",
    ],
    "product_inquiry": [
        "May stock pa po ba kayo ng {p} na kulay asul?",
        "Ano po ang sukat ng {p}?",
        "Waterproof po ba ang {p}?",
        "Kailan po ulit magkakaroon ng stock ng {p}?",
        "May warranty po ba ang {p}?",
        "Anong size po ang bagay sa 180 cm ang taas?",
        "Pwede po bang gamitin sa labas ang {p}?",
        "nagbebenta po ba kayo ng gift card",
        "Magkano po ang malaking {p}?",
    ],
    "other": [
        "Maraming salamat po sa tulong ninyo kahapon!",
        "May bakante po ba kayong trabaho sa bodega?",
        "Gusto ko lang pong sabihin na magaling ang team ninyo.",
        "Sino po ito? May text ako mula sa numerong ito.",
        "Gusto po naming mag-alok ng partnership sa kumpanya ninyo.",
        "Maligayang Pasko po sa buong team!",
        "Bukas po ba kayo sa Linggo?",
        "salamat po",
        "Pakipasa po ito sa marketing department ninyo.",
    ],
}
SUBJECTS = {
    "order_status": ["Nasaan ang order ko?", "Status ng delivery", "Order {o}"],
    "order_change": ["Pagbabago sa order", "Bagong address"],
    "cancellation": ["Pagkansela", "Kansel ng subscription"],
    "refund_return": ["Pagbabalik ng item", "Refund"],
    "billing": ["Tanong sa invoice", "Dobleng singil"],
    "complaint": ["Reklamo", "Dismayado"],
    "technical_support": ["Problema sa app", "Hindi makapag-login"],
    "account_update": ["I-update ang account", "Bagong email"],
    "product_inquiry": ["Tanong tungkol sa produkto", "Stock"],
    "other": ["Hello", "Salamat"],
}
URGENT = [
    "Umusok po ang {p} at nagliyab!",
    "Nasugatan po ang anak ko, delikado ito.",
    "Amoy gas po mula nang umalis ang technician ninyo.",
]
HIGH = [
    "Kailangan ko po ito ngayon din, agad po sana.",
    "Urgent po, pakisagot agad.",
    "Kung hindi maaayos, magdedemanda ako at kakausapin ko ang abogado ko.",
    "Irereklamo ko kayo sa DTI.",
    "Kung hindi, ipopost ko ito sa Facebook.",
]
LOW = ["Hindi po nagmamadali, kapag may oras lang kayo.", "Walang problema kung matagal."]
ANGRY = ["Nakakainis talaga!", "Galit na galit na ako.", "Hindi katanggap-tanggap!!"]
# Extra phrasings (written later, generated into messages_more.jsonl; the split is by group as above).
MORE_INTENTS = {
    "order_status": [
        "Hanggang ngayon po wala pa ang parcel ko, kailan po kaya darating?",
        "Ano na po ang status ng {o}? Walang sinasabi ang courier.",
        "wala pa rin po dumadating",
        "Hindi gumagana ang tracking number, nasaan na po ang order ko?",
        "Sampung araw na po mula nung umorder ako, hindi pa po ba naipapadala?",
        "Lumagpas na po ang expected delivery date pero wala pa ang {p}.",
    ],
    "order_change": [
        "Mali po ang nailagay kong address, pwede po bang itama?",
        "Pwede po bang ilipat sa Lunes ang delivery ng {o}?",
        "Pwede po bang kulay pula na lang ang ipadala imbes na itim?",
        "palit address order {n}",
        "Kung hindi pa po naipapadala, gusto ko pong magdagdag ng isa pang {p}.",
        "Pwede po bang sa opisina ko na lang i-deliver imbes na sa bahay?",
    ],
    "cancellation": [
        "Ayoko na po, pakikansela na lang po ang order.",
        "Gusto ko na pong ihinto ang monthly subscription ko.",
        "cancel ko na po",
        "Kung hindi pa po naipapadala ang {o}, pakicancel na po.",
        "Paki-off po ang auto-renew at itigil na ang plan ko.",
        "Paano po mag-unsubscribe sa serbisyo ninyo?",
    ],
    "refund_return": [
        "Hindi ko po nagustuhan ang item, gusto ko pong ibalik.",
        "Kailan ko po makukuha ang refund ng {p} na ibinalik ko?",
        "wala pa po refund ko",
        "Sira po ang dumating na {p}, hihingi po ako ng palit o refund.",
        "Pakipadala po ang return label.",
        "Ibabalik po ba ang {a} sa card ko?",
    ],
    "billing": [
        "Dalawang beses po akong siningil para sa iisang order.",
        "Mali po ang halaga sa invoice, sobra ng {a}.",
        "hindi ko makita resibo ko",
        "Kailangan ko po ng official receipt na nakapangalan sa kumpanya namin.",
        "Bakit po may interest ang installment na bayad ko?",
        "Declined daw po ang payment pero nabawasan ng {a} ang bank account ko.",
    ],
    "complaint": [
        "Sobrang dismayado po ako sa trato ninyo sa akin.",
        "Hinagis lang po ng rider ang parcel sa harap ng gate.",
        "ang pangit ng serbisyo",
        "Tatlong araw na po walang sumasagot, ganito ba ang customer service ninyo?",
        "Nagsinungaling po sa akin ang ahente ninyo, galit na galit ako.",
        "Ibang-iba po ang dumating sa nasa picture, parang naloko ako.",
    ],
    "technical_support": [
        "Hindi po ako makapag-add to cart sa app, hindi gumagana ang button.",
        "Sabi po mali ang password ko pag nagla-log in pero tama naman.",
        "ayaw mag load ng website",
        "Hindi po kumokonekta sa wifi ang {p}, nag-eerror sa setup.",
        "Simula nung nag-update, kusa pong nagsasara ang app.",
        "Hindi ko po natatanggap ang OTP sa text.",
    ],
    "account_update": [
        "Gusto ko pong palitan ang email address ng account ko.",
        "Paki-update po ang address ko, lumipat na po ako.",
        "pa delete po ng account ko",
        "Mali po ang birthday sa profile ko, pwede po bang itama?",
        "Ayoko na pong makatanggap ng promo emails.",
        "Paano ko po papalitan ang username ko?",
    ],
    "product_inquiry": [
        "Anong mga kulay po ang available sa {p}?",
        "Gaano po katagal ang battery ng model na ito?",
        "may stock pa po ba",
        "Pwede po bang labhan sa washing machine ang {p}?",
        "Ano po ang pagkakaiba ng dalawang model? Alin po ang mas maganda?",
        "May nabibili po ba kayong spare parts para sa {p}?",
    ],
    "other": [
        "Saan po ang address ng physical store ninyo?",
        "Manigong bagong taon po sa inyong lahat!",
        "sige po salamat",
        "Supplier po kami at gusto naming makipag-partner, sino po ang pwedeng kausapin?",
        "Ano po ang oras ng operasyon ninyo?",
        "Pasensya na po, mukhang mali ang napadalhan ko.",
    ],
}
