"""English phrase lexicon for the synthetic classifier data set."""

LANG = "en"
SEP = " "
GREET = ["Hi,", "Hello,", "Dear customer service,", "Hi there,", "Good morning,", "Dear Sir or Madam,", "Hey,"]
CLOSE = [
    "Thanks in advance.",
    "Best regards,",
    "Kind regards,",
    "Thank you,",
    "Cheers,",
    "Looking forward to hearing from you.",
    "Regards,",
]
NAMES = ["John Smith", "Emma Clarke", "Mike", "Sarah Jones", "David Brown", "Olivia"]
SIGN = [
    "Sent from my iPhone",
    "Sent from my Samsung Galaxy smartphone.",
    "--\n{name}\nAcme Ltd | Purchasing\nTel: +44 20 7946 0018",
    "{name}\n221B Baker Street, London",
]
QUOTE_HEAD = [
    "On Mon, 3 Jun 2024 at 10:12, Customer Service <support@shop.example> wrote:",
    "-----Original Message-----\nFrom: Customer Service <support@shop.example>\nSent: Tuesday, May 14, 2024 9:02 AM\nSubject: Your case",  # noqa: E501
]
QUOTE_BODY = [
    "Thank you for contacting us. We have received your request and will get back to you within 48 hours.",
    "Your case number is 88412. Please reply to this email if you have further questions.",
    "We are sorry for the inconvenience. Our team is looking into it.",
]
PRODUCTS = ["jacket", "sofa", "coffee machine", "running shoes", "phone case", "lamp", "blender", "backpack"]
ORDER_REF = ["order {n}", "order #{n}", "order no. {n}", "order number {n}", "#{n}"]
AMOUNT = ["${n}", "£{n}", "{n} USD", "€{n}", "{n} GBP"]
INTENTS = {
    "order_status": [
        "Where is my {o}? It still hasn't arrived.",
        "Can you tell me when {o} will be delivered?",
        "The tracking for {o} hasn't updated in five days.",
        "I ordered a {p} last week and have heard nothing since. What is the status?",
        "Has my {p} been shipped yet?",
        "My parcel was supposed to arrive yesterday but never came. Any update on {o}?",
        "Tracking says delivered but I never got the package.",
        "when will my order arrive",
        "Is {o} on its way? I need an estimated delivery date.",
    ],
    "order_change": [
        "I need to change the delivery address on {o}.",
        "Can I add another {p} to {o} before it ships?",
        "Please change the size on my {p} from M to L.",
        "I would like to switch the colour of the {p} in {o} to black.",
        "Could you deliver {o} next Friday instead?",
        "I made a mistake in my order, can I swap the {p} for a different model?",
        "Please update the shipping address for {o} to 14 Elm Road.",
        "can i change my order to express shipping",
        "I want to remove one item from {o}, the rest is fine.",
    ],
    "cancellation": [
        "Please cancel {o}.",
        "I want to cancel my subscription.",
        "I no longer need the {p}, please cancel the order before it ships.",
        "How do I cancel my membership?",
        "Cancel my order please, I ordered by mistake.",
        "I would like to terminate my contract at the end of the month.",
        "Please stop my subscription and do not renew it.",
        "cancel order {n}",
        "I changed my mind, please cancel {o} immediately.",
    ],
    "refund_return": [
        "I want to return the {p}, it doesn't fit.",
        "How do I get a refund for {o}?",
        "I sent the {p} back two weeks ago and still haven't received my money.",
        "Can I exchange the {p} for a bigger size?",
        "Please refund {a}, the item was faulty.",
        "I'd like a return label for {o}.",
        "The {p} arrived broken, I want my money back.",
        "where is my refund",
        "I returned the parcel but the refund of {a} is still missing.",
    ],
    "billing": [
        "I was charged twice for {o}.",
        "My invoice shows {a} but I only ordered one {p}.",
        "Why was my card charged {a} this month?",
        "Can you send me a copy of the invoice for {o}?",
        "My payment failed but the money left my account.",
        "There is a wrong VAT number on my invoice.",
        "I don't recognise a charge of {a} on my credit card statement.",
        "double charged again",
        "Please update the billing details on my last invoice.",
    ],
    "complaint": [
        "I am very unhappy with the service I received.",
        "Your driver was extremely rude to me.",
        "This is the third time my delivery is late, this is unacceptable.",
        "The quality of the {p} is terrible, I expected much better.",
        "Nobody answers the phone and nobody replies to my emails.",
        "I want to make a formal complaint about the way I was treated in your store.",
        "Worst customer experience I have ever had.",
        "terrible service, really disappointed",
        "Your staff were unhelpful and I waited an hour on hold.",
    ],
    "technical_support": [
        "I can't log in to the app, it keeps saying error 500.",
        "The website crashes when I try to check out.",
        "My {p} won't turn on after the latest update.",
        "I never received the password reset email.",
        "The app freezes every time I open my orders.",
        "The Bluetooth connection keeps dropping on my {p}.",
        "Your checkout page shows a blank screen on my phone.",
        "app not working",
        "I get an error message when I try to pair the device.",
    ],
    "account_update": [
        "Please update my email address to the new one below.",
        "I want to change the phone number on my account.",
        "How do I delete my account and all my data?",
        "Please change my name on the account, I got married.",
        "Can you update my default delivery address in my profile?",
        "Please unsubscribe me from your newsletter.",
        "I need to change the password on my customer account.",
        "update my phone number please",
        "Please merge my two customer accounts into one.",
    ],
    "product_inquiry": [
        "Do you have the {p} in stock in blue?",
        "What are the dimensions of the {p}?",
        "Is the {p} waterproof?",
        "When will the {p} be available again?",
        "Does the {p} come with a warranty?",
        "Which size would you recommend for someone who is 180 cm tall?",
        "Can the {p} be used outdoors?",
        "do you sell gift cards",
        "What is the price of the large {p}?",
    ],
    "other": [
        "Thank you so much for your help yesterday!",
        "Do you have any job openings in your warehouse?",
        "I just wanted to say your team did a great job.",
        "Who is this? I got a text from this number.",
        "We would like to propose a partnership with your company.",
        "Happy holidays to the whole team!",
        "Are you open on Sunday?",
        "thanks",
        "Please forward this to your marketing department.",
    ],
}
SUBJECTS = {
    "order_status": ["Where is my order?", "Delivery status", "Order {o}"],
    "order_change": ["Change to my order", "Change delivery address"],
    "cancellation": ["Cancellation", "Cancel order {o}"],
    "refund_return": ["Return and refund", "Refund request"],
    "billing": ["Invoice question", "Double charge"],
    "complaint": ["Complaint", "Very disappointed"],
    "technical_support": ["App problem", "Login not working"],
    "account_update": ["Update my account", "New email address"],
    "product_inquiry": ["Question about a product", "Stock question"],
    "other": ["Hello", "Thank you"],
}
URGENT = [
    "The {p} started smoking and caught fire!",
    "My child got injured by it, this is dangerous.",
    "I smell gas since your technician was here.",
]
HIGH = [
    "I need this sorted today.",
    "This is urgent, please reply asap.",
    "If this is not fixed I will contact my lawyer.",
    "I will report you to the consumer ombudsman.",
    "Otherwise I'm posting this on Twitter and Facebook.",
]
LOW = ["No rush, whenever you have time.", "It's not urgent."]
ANGRY = ["This is ridiculous!", "I am furious.", "Absolutely unacceptable!!"]
# Extra phrasings (written later, generated into messages_more.jsonl; the split is by group as above).
MORE_INTENTS = {
    "order_status": [
        "My parcel still hasn't shown up, when can I expect it?",
        "nothing has arrived yet",
        "The estimated delivery date has passed and the {p} is still missing.",
    ],
    "order_change": [
        "I typed the address wrong, can you correct it?",
        "change address on order {n}",
        "Could you deliver to my office instead of my home?",
    ],
    "cancellation": [
        "I don't want it anymore, please cancel the order.",
        "cancel pls",
        "Turn off auto-renewal and end my plan, please.",
    ],
    "refund_return": [
        "I don't like the item and want to send it back.",
        "still no refund",
        "The {p} arrived damaged, I'd like an exchange or my money back.",
    ],
    "billing": [
        "My card was debited twice for the same purchase.",
        "cant find my invoice",
        "Why was I charged interest on the instalment payment?",
    ],
    "complaint": [
        "I'm really disappointed with how I was treated.",
        "terrible service",
        "Your salesperson lied to me and I'm furious.",
    ],
    "technical_support": [
        "The add to basket button in the app doesn't respond.",
        "website wont load",
        "I'm not getting the verification code by text.",
    ],
    "account_update": [
        "I'd like to change the email address on my account.",
        "delete my account",
        "My date of birth on the profile is wrong, can you fix it?",
    ],
    "product_inquiry": [
        "What colours does the {p} come in?",
        "is this still in stock",
        "Do you sell spare parts for the {p}?",
    ],
    "other": [
        "Could you give me the address of your shop?",
        "ok thanks",
        "We're a supplier and would like to work with you, who should I talk to?",
    ],
}
