"""Synthetic customer-support tickets for Lumora, a fictional smart-home company (devices, an online
shop and the Lumora Cloud subscription), as a CSV for the example heads.

    /usr/bin/python3 tools/forge/tickets.py --out examples/datasets/tickets.csv [--n 1080] [--seed 2026]

Pure standard library, seeded: the same arguments always give the same file.

Columns: id,text,topic,urgency,sentiment,tags,severity

- topic (6, balanced): billing, account-access, shipping, technical-bug, feature-request, cancellation.
  It comes from the problem description (one of 25-29 per topic), often with a topic-flavoured
  opening or subject line; some problems mention a second topic (a crash that caused a double
  charge is `billing`: the request is about the money).
- urgency (low / medium / high): sampled per ticket (weights depend on the topic), then expressed by
  cue sentences: high always has one or two ("we have customers waiting", "renews tomorrow"),
  medium in 80% of tickets ("could you get back to me this week?"), low in 85% ("no rush"); problems that cannot
  plausibly be low (or high) are only drawn for the urgencies they allow.
- sentiment (negative / neutral / positive): sampled, then expressed by tone sentences, openings and
  sign-offs (angry, polite-but-annoyed, thankful; positive tickets still report their problem).
  Neutral tickets are matter-of-fact.
- tags: 1-3 of TAGS, separated by ";", from what the final text mentions (keyword rules in
  TAG_RULES, applied before the cosmetic noise); a ticket with no tag or more than three is redrawn.
- severity: 1.0-10.0, one decimal: urgency base + the problem's impact + scope ("all 40 people in
  our office") + security / large amount bonuses - a wish discount + gaussian noise (sd 0.45).

Texts are one line (no newlines); typos, lower case and missing final punctuation are added to a
few tickets after labelling. Duplicate texts are redrawn.
"""
import argparse
import csv
import os
import random
import re

TOPICS = ["billing", "account-access", "shipping", "technical-bug", "feature-request", "cancellation"]
URGENCIES = ["low", "medium", "high"]
SENTIMENTS = ["negative", "neutral", "positive"]
TAGS = ["mobile-app", "web", "device", "payment", "email", "order", "data", "performance", "security"]

# ------------------------------------------------------------------------------------ catalogue
CAMS = ["Lumora Cam 2", "Cam 2 Outdoor", "Cam Mini", "Doorbell Pro"]
DEVICES = CAMS + ["Lumora Hub", "Thermo S thermostat", "Plug Mini", "Bulb Color", "Lock X smart lock",
                  "Smoke Sense detector", "motion sensor", "Hub 2"]
DEVICE_PRICES = {"Lumora Cam 2": 89, "Cam 2 Outdoor": 129, "Cam Mini": 49, "Doorbell Pro": 149,
                 "Lumora Hub": 119, "Thermo S thermostat": 199, "Plug Mini": 24, "Bulb Color": 19,
                 "Lock X smart lock": 229, "Smoke Sense detector": 79, "motion sensor": 35, "Hub 2": 139}
PLANS = {"Basic": 2.99, "Plus": 4.99, "Pro": 9.99, "Business": 12.00}
PHONES = ["iPhone 13", "iPhone 15", "Pixel 7", "Pixel 8", "Galaxy S22", "Galaxy A54", "OnePlus 11",
          "iPhone SE", "Moto G84", "Xiaomi 13"]
BROWSERS = ["Chrome", "Firefox", "Safari", "Edge"]
CARRIERS = ["DHL", "UPS", "FedEx", "DPD", "GLS", "the courier", "Royal Mail", "PostNL", "USPS"]
COUNTRIES = ["Norway", "Switzerland", "Iceland", "Canada", "Mexico", "Japan", "South Africa", "Chile"]
CITIES = ["Leeds", "Rotterdam", "Lyon", "Denver", "Porto", "Gdansk", "Austin", "Bristol", "Graz",
          "Valencia", "Malmo", "Cork", "Turin", "Leipzig", "Ghent", "Tampere", "Brno", "Calgary"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
FIRST = ["Priya", "Tom", "Marta", "Jonas", "Aisha", "Liam", "Sofia", "Kenji", "Fatima", "Lucas", "Emma",
         "Mateo", "Olga", "Daniel", "Chloe", "Ravi", "Hannah", "Omar", "Ines", "Noah", "Grace", "Pavel",
         "Yuki", "Carlos", "Leah", "Ahmed", "Nora", "Ben", "Zara", "Felix", "Maya", "Ivan", "Elena",
         "Sam", "Ruth", "Tariq", "Julia", "Kofi", "Anna", "Marco", "Wei", "Greta", "Diego", "Amara"]
LAST = ["Becker", "Okafor", "Silva", "Nowak", "Haddad", "Jensen", "Rossi", "Tanaka", "Murphy", "Khan",
        "Dubois", "Larsen", "Costa", "Fischer", "Moreno", "Singh", "Walsh", "Novak", "Ito", "Berg"]
COMPANIES = ["Fernhill Dental", "Brightside Cafe", "Oakline Logistics", "Nordlys Studio",
             "Harbour Vets", "Pine & Co Bakery", "Kestrel Fitness", "Meridian Books", "Bluegate Hostel",
             "Tidewater Storage", "Greenleaf Pharmacy", "Copperfield Garage"]
TRACK_STATUS = ["label created", "in transit", "arrived at sorting centre", "out for delivery",
                "held at customs", "awaiting pickup"]


# ------------------------------------------------------------------------------------ slots
def _money(x):
    return "%.2f" % x


def _cur(ctx):
    return ctx.setdefault("cur", ctx["rng"].choice(["$", "$", "EUR ", "GBP "]))


def _amount(ctx, small=False):
    """A plan price (monthly, or yearly unless small), a device price, or an odd amount."""
    rng = ctx["rng"]
    plan = rng.choice(list(PLANS.values()))
    if small:
        x = rng.choice([plan, plan, round(rng.uniform(3, 40), 2)])
    else:
        x = rng.choice([plan, plan * 12, rng.choice(list(DEVICE_PRICES.values())) + 0.0, round(rng.uniform(5, 400), 2)])
    ctx["max_amount"] = max(ctx.get("max_amount", 0), x)
    return _cur(ctx) + _money(x)


def _order(ctx):
    rng = ctx["rng"]
    if "order" not in ctx:
        ctx["order"] = rng.choice(["#LM-%06d" % rng.randint(100000, 999999),
                                   "#%07d" % rng.randint(4000000, 4999999),
                                   "LM%08d" % rng.randint(10000000, 99999999)])
    return ctx["order"]


def _device(ctx, pool=None):
    rng = ctx["rng"]
    d = rng.choice(pool or DEVICES)
    ctx.setdefault("devices", []).append(d)
    return d


def _device2(ctx):
    first = ctx.get("devices", [None])[0]
    return _device(ctx, [d for d in DEVICES if d != first])


def _date(ctx):
    rng = ctx["rng"]
    return rng.choice(["%s %d" % (rng.choice(MONTHS), rng.randint(1, 28)),
                       "the %d%s" % ((lambda d: (d, "th" if 4 <= d <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")))(rng.randint(1, 28))),
                       rng.choice(WEEKDAYS), "last " + rng.choice(WEEKDAYS),
                       "%d/%d" % (rng.randint(1, 12), rng.randint(1, 28))])


def _future_date(ctx):
    rng = ctx["rng"]
    d = rng.randint(1, 28)
    return rng.choice(["%s %d" % (rng.choice(MONTHS), d), rng.choice(WEEKDAYS), "next " + rng.choice(WEEKDAYS),
                       "the %d%s" % (d, "th" if 4 <= d <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th"))])


def _seats(ctx):
    rng = ctx["rng"]
    real = rng.randint(3, 40)
    billed = real + rng.randint(2, 25)
    ctx["max_amount"] = max(ctx.get("max_amount", 0), billed * PLANS["Business"])
    return "%d seats on the Business plan but we only have %d users" % (billed, real)


def _partial(ctx):
    rng = ctx["rng"]
    q = rng.randint(4, 30)
    return "%d %ss for our office and only %d arrived" % (q, _device(ctx, CAMS + ["Plug Mini", "motion sensor"]),
                                                        rng.randint(1, q - 1))


def _price_change(ctx):
    rng = ctx["rng"]
    plan = rng.choice(["Plus", "Pro", "Business"])
    old = PLANS[plan]
    new = old + rng.choice([1.0, 2.0, 1.5, 3.0])
    c = _cur(ctx)
    return "the %s plan went from %s%s to %s%s a month" % (plan, c, _money(old), c, _money(new))


def _device_price(ctx):
    """The price of the last device named (or of a random one)."""
    d = (ctx.get("devices") or [ctx["rng"].choice(DEVICES)])[-1]
    ctx["max_amount"] = max(ctx.get("max_amount", 0), DEVICE_PRICES[d])
    return _cur(ctx) + _money(DEVICE_PRICES[d])


def _email(ctx):
    rng = ctx["rng"]
    f, l = rng.choice(FIRST).lower(), rng.choice(LAST).lower()
    return rng.choice(["%s.%s@example.com" % (f, l), "%s%d@example.org" % (f, rng.randint(1, 99)),
                       "%s%s@example.net" % (f[0], l)])


SLOTS = {
    "amount": _amount,
    "small_amount": lambda c: _amount(c, small=True),
    "order": _order,
    "device": _device,
    "device2": _device2,
    "cam": lambda c: _device(c, CAMS),
    "hub": lambda c: _device(c, ["Lumora Hub", "Hub 2"]),
    "date": _date,
    "date2": _date,
    "fdate": _future_date,
    "fdate2": _future_date,
    "month": lambda c: c["rng"].choice(MONTHS),
    "month2": lambda c: c["rng"].choice(MONTHS),
    "weekday": lambda c: c["rng"].choice(WEEKDAYS),
    "plan": lambda c: c["rng"].choice(["Plus", "Pro", "Business", "Basic", "Pro", "Plus"]),
    "paid_plan": lambda c: c["rng"].choice(["Plus", "Pro", "Business"]),
    "app": lambda c: c["rng"].choice(["the app", "the Lumora Home app", "the iOS app", "the Android app",
                                      "the Lumora app", "the app on my " + c["rng"].choice(PHONES),
                                      "Lumora Home"]),
    "web": lambda c: c["rng"].choice(["the web dashboard", "the website", "the online dashboard",
                                      "the account page on your website", "the dashboard in " +
                                      c["rng"].choice(BROWSERS), "Lumora Cloud in the browser"]),
    "browser": lambda c: c["rng"].choice(BROWSERS),
    "phone": lambda c: c["rng"].choice(PHONES),
    "carrier": lambda c: c["rng"].choice(CARRIERS),
    "country": lambda c: c["rng"].choice(COUNTRIES),
    "city": lambda c: c["rng"].choice(CITIES),
    "days": lambda c: str(c["rng"].choice([3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 21])),
    "mins": lambda c: str(c["rng"].choice([2, 3, 5, 8, 10, 15, 20])),
    "n": lambda c: str(c["rng"].choice([6, 8, 12, 15, 18, 20, 24, 30, 35, 40, 45, 60, 80, 120])),
    "years": lambda c: c["rng"].choice(["two", "three", "four", "five", "six", "2", "3", "5"]),
    "inv": lambda c: "INV-%d-%05d" % (c["rng"].choice([2024, 2025]), c["rng"].randint(100, 99999)),
    "cust": lambda c: "C-%06d" % c["rng"].randint(10000, 999999),
    "last4": lambda c: "%04d" % c["rng"].randint(0, 9999),
    "trk": lambda c: c["rng"].choice(["1Z%s" % "".join(c["rng"].choice("0123456789ABCDEFGHJK") for _ in range(14)),
                                      "JD%012d" % c["rng"].randint(0, 10 ** 12 - 1),
                                      "%d" % c["rng"].randint(10 ** 11, 10 ** 12 - 1)]),
    "ver": lambda c: "%d.%d.%d" % (c["rng"].randint(3, 5), c["rng"].randint(0, 19), c["rng"].randint(0, 9)),
    "fw": lambda c: "%d.%d.%d" % (c["rng"].choice([1, 2]), c["rng"].randint(0, 9), c["rng"].randint(10, 99)),
    "serial": lambda c: "LM%s" % "".join(c["rng"].choice("0123456789ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(9)),
    "seats": _seats,
    "partial": _partial,
    "price_change": _price_change,
    "email": _email,
    "promo": lambda c: c["rng"].choice(["SPRING20", "WELCOME15", "HOME10", "BLACKFRIDAY", "SAVE25", "LUMORA5"]),
    "track_status": lambda c: c["rng"].choice(TRACK_STATUS),
    "pct": lambda c: str(c["rng"].choice([30, 35, 40, 45, 50, 60])),
    "company": lambda c: c["rng"].choice(COMPANIES),
    "device_price": lambda c: _device_price(c),
    "stores": lambda c: c["rng"].choice(["3", "4", "five", "six", "12"]),
}


def fill(template, ctx):
    """`[a|b|]` picks one alternative (innermost first, so they nest; an empty one makes the part
    optional), then `{slot}` is replaced by SLOTS[slot](ctx)."""
    rng = ctx["rng"]
    alt = re.compile(r"\[([^\[\]]*)\]")
    while True:
        m = alt.search(template)
        if not m:
            break
        template = template[:m.start()] + rng.choice(m.group(1).split("|")) + template[m.end():]
    return re.sub(r"\{(\w+)\}", lambda m: SLOTS[m.group(1)](ctx), template)


# ------------------------------------------------------------------------------------ problems
# (template, impact 0-3, urgencies it can carry). Impact: 0 a question or wish, 1 an annoyance,
# 2 something broken or money wrongly taken, 3 an outage, a security incident or many users.
P = {}
P["billing"] = [
    ("I was charged twice for my {paid_plan} subscription this month, {amount} [both times|each time][ on {date}|].", 2, "lmh"),
    ("My card statement shows a charge of {amount} from Lumora that I don't recognise.", 2, "mh"),
    ("I downgraded to the Basic plan on {date} but I was still billed {amount} for {paid_plan}.", 2, "lmh"),
    ("Invoice {inv} is missing our company VAT number, so our accountant can't book it.", 1, "lmh"),
    ("The promo code {promo} [wasn't|was not] applied when I [renewed|upgraded], I paid the full {amount}.", 1, "lm"),
    ("The [payment|card payment] for my renewal keeps getting declined, even though the card works everywhere else.", 2, "mh"),
    ("[I noticed that |]{price_change} [without any notice|and I never got a notice|without anyone telling me].", 1, "lm"),
    ("I'm still waiting for the refund of {amount} [you promised on {date}|your colleague promised two weeks ago|that was approved last month].", 1, "lmh"),
    ("I was charged in euros instead of dollars and my bank added a foreign transaction fee[ on top|].", 1, "lm"),
    ("My free trial turned into a paid {paid_plan} subscription and I was charged {amount} without [a reminder email|any email warning me].", 1, "lmh"),
    ("{app} crashed during checkout and now I see two payments of {amount} for order {order}.", 2, "mh"),
    ("How do I get a proper invoice with our company address for the {paid_plan} subscription?", 0, "lm"),
    ("I need to update the credit card on file, the old one expired[ last month|] and I can't find where to change it[ in {web}|].", 0, "lm"),
    ("You billed us for {seats}.", 2, "mh"),
    ("The billing page[ on {web}|] shows an outstanding balance of {amount} but I paid it on {date}.", 1, "lmh"),
    ("Can you explain the extra {small_amount} 'cloud recording add-on' on my last invoice? I never added it.", 1, "lm"),
    ("I switched from monthly to annual billing and was charged the full year without any credit for the month I'd already paid.", 1, "lm"),
    ("The receipt emails stopped coming and I need receipts for {month} and {month2} for my expense report.", 0, "lmh"),
    ("I paid with PayPal but my subscription still says 'payment pending' and I can't [use|get to] the Pro features.", 2, "mh"),
    ("Sales tax was added to order {order} although we are tax-exempt, [our certificate is on file|I sent the certificate before ordering].", 1, "lm"),
    ("My bank flagged the latest charge of {amount} as fraud and blocked my card, [please tell me what it was for|what was this charge]?", 2, "mh"),
    ("I bought the {paid_plan} plan through [the App Store|Google Play] but my account still shows the free plan.", 1, "lmh"),
    ("I returned the {device} [back in {month}|weeks ago] and I was never refunded the {device_price}.", 1, "lmh"),
    ("The payment page times out at the last step, so I can't tell whether my renewal went through.", 1, "lmh"),
    ("[We were|I was] charged for the Business plan after we moved to Pro on {date}, the difference is {amount}.", 1, "lm"),
]
P["account-access"] = [
    ("I can't log in[ to {web}| to {app}|]: it keeps saying my password is incorrect, even right after resetting it.", 2, "lmh"),
    ("The password reset email never arrives[, I've checked the spam folder too|, not even in spam|].", 2, "lmh"),
    ("I got a new phone and lost my two-factor codes, so I'm stuck at the verification step.", 2, "mh"),
    ("My account got locked after too many login attempts and it's still locked [a day later|hours later|even though the wait time is over].", 2, "mh"),
    ("Someone changed the email address on my account and I got a notice about a sign-in from {city} that wasn't me.", 3, "mh"),
    ("The verification link in the sign-up email says it has expired, every time I request a new one.", 1, "lm"),
    ("I signed up with Apple and now I can't sign in on the website because I don't know which address the account uses.", 1, "lm"),
    ("I need to change the address I log in with from my old work one to {email}, but the form says it's already in use.", 0, "lm"),
    ("{app} logs me out every time I close it and asks for my password again.", 1, "lm"),
    ("Our company SSO sign-in stopped working for everyone this morning, the dashboard shows 'SAML response invalid'.", 3, "mh"),
    ("[My wife|My husband|My partner|My daughter|My flatmate] was invited to our home in {app} but the invite link just says 'invalid invitation'.", 1, "lm"),
    ("I accidentally deleted my account last week, is it possible to restore it? All my cameras were linked to it.", 1, "lmh"),
    ("I have two accounts (one from Google sign-in, one with my email) and my {device} is on the wrong one. Can you merge them?", 0, "lm"),
    ("I'm the admin of our Business workspace and I was removed as owner by mistake, now nobody can manage users.", 2, "mh"),
    ("After the latest update {app} shows a blank screen at the sign-in step, so I can't get into my account.", 2, "mh"),
    ("I never receive the SMS code for two-step login, I've tried [five|six|a dozen] times.", 2, "mh"),
    ("My account says 'suspended' when I sign in and I have no idea why.", 2, "mh"),
    ("I can't remember which address I used to register the {device}, can you look the account up by the serial {serial}?", 0, "lm"),
    ("The sign-in page on the website just reloads when I click 'Sign in', no error message.", 1, "lmh"),
    ("I think my account was hacked: there's a new shared user and [two cameras|a camera|a doorbell] I didn't add.", 3, "mh"),
    ("My username is an old email address I no longer have access to, so I can't reset the password.", 1, "lm"),
    ("[It says|I keep getting] 'too many requests, try later' when I try to log in, and it's been like that since {weekday}.", 1, "lmh"),
    ("My colleague left the company and his account was the only one with admin rights to our {n} cameras.", 2, "mh"),
    ("The sign-in page times out after I enter the code[, every single time|, on every browser I tried].", 2, "lmh"),
    ("The login confirmation email takes [an hour|two hours|ages] to arrive and by then the code has expired.", 1, "lmh"),
    ("I'm stuck in a loop: I log in, confirm the code, and it sends me straight back to the login screen.", 2, "lmh"),
]
P["shipping"] = [
    ("My order {order} was supposed to arrive [on {date}|last week|by {weekday}] but it still hasn't shown up.", 1, "lmh"),
    ("The tracking for order {order} hasn't updated in {days} days, it's stuck at '{track_status}'.", 1, "lmh"),
    ("I ordered a {device} but received a {device2} instead.", 1, "lmh"),
    ("The box for order {order} arrived crushed and the {cam} inside has a cracked lens.", 2, "lmh"),
    ("Can I still change the delivery address for {order}? I'm moving to {city} [next week|on {fdate}].", 0, "lmh"),
    ("{carrier} says the parcel was delivered but there's nothing at my door or with the neighbours.", 2, "mh"),
    ("The package came without the [power adapter|mounting kit|charging cable] for the {device}.", 1, "lm"),
    ("I paid {small_amount} for express shipping but the order took {days} days to arrive.", 1, "lm"),
    ("I had to pay {amount} in customs fees on delivery, although your shop said duties were included.", 1, "lm"),
    ("Do you ship to {country}? The checkout page won't accept my postcode.", 0, "lm"),
    ("My order has been 'processing' for {days} days and nothing has been shipped yet.", 1, "lmh"),
    ("Only one of the two parcels for {order} arrived; the {device} is missing.", 1, "lmh"),
    ("I never got a shipping confirmation for order {order}, how do I track it?", 0, "lm"),
    ("The courier left the package out in the rain and the {device} box is soaked through.", 1, "lm"),
    ("I need the replacement {device} [shipped|delivered] before {fdate} because I'm going away and the old one is dead.", 1, "mh"),
    ("The order status page says 'delivered to parcel locker' but I never got a pickup code.", 1, "lmh"),
    ("The estimated delivery date for {order} keeps moving, first {fdate}, now {fdate2}.", 1, "lm"),
    ("The parcel went to my old address even though I updated it before ordering.", 1, "lmh"),
    ("I need a return label for the {device} from order {order}[, it doesn't fit our door|, it was a duplicate gift|].", 0, "lm"),
    ("[The courier|{carrier}] left a note saying nobody answered, but I was home all day. How can I rebook the delivery?", 1, "lm"),
    ("We ordered {partial} (order {order}).", 2, "mh"),
    ("{app} still shows my order as 'preparing', although the tracking number says it was shipped [on {date}|days ago].", 0, "lm"),
    ("The tracking emails for order {order} stopped after the first one and the link in it doesn't work.", 0, "lm"),
    ("My delivery was handed to a neighbour I don't know and [I can't find which house|nobody has brought it over].", 1, "lm"),
    ("The parcel is 'held at customs' and [the courier wants documents I don't have|nobody tells me what they need].", 1, "lmh"),
]
P["technical-bug"] = [
    ("{app} crashes as soon as I open the live view of my {cam}.", 2, "lmh"),
    ("My {device} keeps going offline every few hours and only comes back after I unplug it.", 2, "lmh"),
    ("The firmware update to {fw} failed halfway and now the {hub} just blinks red.", 3, "mh"),
    ("Motion alerts from the {cam} show up in {app} {mins} minutes late, which makes them useless.", 2, "lmh"),
    ("{web} shows a blank white page after I log in, only in {browser}.", 2, "lmh"),
    ("Exporting the event history to CSV gives an empty file[ in {web}|].", 1, "lm"),
    ("The Thermo S ignores the schedule I set and heats the house at [3am|4am|midnight].", 1, "lmh"),
    ("{app} drains my phone battery, it used {pct}% overnight in the background.", 1, "lm"),
    ("The web dashboard now takes more than a minute to load the camera list.", 1, "lmh"),
    ("Automations stopped triggering after the last update: the lights no longer turn on at sunset.", 2, "lmh"),
    ("Recorded clips from {date} are gone from the timeline, even though I have the {paid_plan} plan with 30 days of history.", 2, "mh"),
    ("The time on all events is off by one hour since the clocks changed.", 1, "lm"),
    ("Live view stutters and freezes every few seconds, even though my internet is fast.", 1, "lmh"),
    ("The {device} won't pair with the hub, {app} says 'device not found' every time.", 2, "lmh"),
    ("Two-way audio on the Doorbell Pro has a loud echo and visitors can't understand me.", 1, "lm"),
    ("Our integration gets '500 Internal Server Error' from the events API since {date}.", 3, "mh"),
    ("Notification emails say 'Motion at %DEVICE%' instead of the actual camera name.", 0, "lm"),
    ("Settings I change in {app} don't sync to the website, it keeps showing the old values.", 1, "lm"),
    ("The Lock X smart lock reports 'locked' but the door is actually open, which is a real security risk.", 3, "mh"),
    ("In dark mode the temperature text in {app} is unreadable, black on dark grey.", 0, "lm"),
    ("The voice assistant integration stopped working, it says the {hub} is unresponsive.", 1, "lmh"),
    ("The dashboard freezes when I open the floor plan with more than 20 devices on it.", 1, "lm"),
    ("Since updating to version {ver}, {app} won't load past the splash screen.", 2, "mh"),
    ("The temperature graph stops at midnight every day and the readings after that are missing.", 1, "lm"),
    ("The 'Download invoice' button in {web} throws an error, so I can't get my receipts.", 1, "lm"),
    ("The hub has become really slow to respond: the lights take ten seconds or more to switch on.", 1, "lmh"),
    ("{app} has become very laggy since version {ver}, scrolling through events is painful.", 1, "lm"),
    ("Clips take forever to load and the playback freezes halfway, every time.", 1, "lmh"),
    ("Night vision on the {cam} switched off after the update, the picture is completely black at night.", 2, "lmh"),
]
P["feature-request"] = [
    ("It would be great if {app} had a home screen widget to arm and disarm the cameras.", 0, "lm"),
    ("Please add a way to export all recordings in one go instead of clip by clip.", 0, "lm"),
    ("Could you add separate heating schedules per room for the Thermo S?", 0, "lm"),
    ("Any plans for a proper tablet layout? On my iPad [the app|everything] is just stretched.", 0, "lm"),
    ("We'd love user roles in the Business workspace, so [interns|temps|our cleaners] can view cameras but not change settings.", 1, "lmh"),
    ("Please support webhooks so we can send motion events to our own system.", 0, "lmh"),
    ("I'd like a weekly summary email with the energy usage of [my plugs|the whole house|each room].", 0, "lm"),
    ("Please let me pick a custom sound for doorbell rings in {app}.", 0, "lm"),
    ("Keyboard shortcuts in the web dashboard for switching between cameras would [help a lot|be lovely].", 0, "lm"),
    ("Could you add geofencing in {app}, so the system arms itself when everyone has left the house?", 0, "lm"),
    ("Please add single sign-on with Microsoft for Lumora Cloud Business, our IT team requires it.", 1, "lmh"),
    ("Could the history be kept for 90 days instead of 30 on the Pro plan?", 0, "lm"),
    ("Would you consider adding [Dutch|Polish|Portuguese|Turkish|Czech] as a language in {app}?", 0, "lm"),
    ("A bulk rename option in the dashboard would save us hours, we have {n} cameras across {stores} stores.", 1, "lmh"),
    ("Any chance of a local mode, so the hub keeps running automations when the internet is down?", 1, "lm"),
    ("Please make a smartwatch app so I can see who's at the door from my wrist.", 0, "lm"),
    ("I wish I could share a single camera with my neighbour without giving access to the whole home.", 0, "lm"),
    ("Could invoices show the cost per location? We need to split the cost between [our branches|{stores} shops].", 0, "lmh"),
    ("It would be nice to pause all notifications for an hour with one tap.", 0, "lm"),
    ("Please add support for hardware security keys as a second factor.", 0, "lm"),
    ("Could you show the battery level of all [sensors|devices] on one screen in {app}?", 0, "lm"),
    ("A lighter version of the dashboard for slow connections would [help our rural sites|be really useful].", 0, "lm"),
    ("I'd love to set different motion zones for day and night on the {cam}.", 0, "lm"),
    ("Could there be a guest code for the Lock X that only works on [weekends|certain days|one day]?", 0, "lm"),
    ("Could the daily digest email include a snapshot from each camera?", 0, "lm"),
    ("Please add a dark theme to the web dashboard, [we have it on a wall screen|it's hard on the eyes at night].", 0, "lm"),
]
P["cancellation"] = [
    ("Please cancel my {paid_plan} subscription before the next charge on {fdate}.", 1, "lmh"),
    ("I want to close my account and have all my data and recordings deleted.", 1, "lmh"),
    ("How do I cancel? I can't find the option anywhere in {app}.", 0, "lm"),
    ("I'd like to cancel order {order}, I ordered the wrong model.", 0, "lmh"),
    ("We're moving to another system, please cancel our Business plan for all {n} seats at the end of this billing period.", 1, "lm"),
    ("Please switch off auto-renewal, I only want the plan until it expires in {month} and don't want to be charged again.", 0, "lm"),
    ("I started a free trial by mistake, please cancel it so I'm not billed.", 0, "lmh"),
    ("I'm cancelling because the {cam} keeps disconnecting and I've had enough.", 1, "lmh"),
    ("I'm paying for two subscriptions by mistake, please cancel the second one.", 1, "lmh"),
    ("We're moving abroad, so please end my plan[ at the end of the month|]. How do I export my recordings first?", 0, "lm"),
    ("I sent a cancellation request through the web form {days} days ago and heard nothing back.", 1, "lmh"),
    ("Please downgrade me to the free plan and stop the {small_amount} monthly charge.", 0, "lm"),
    ("I'd like to end the Pro plan and send back the {device} I bought on {date}, it's still within the 30 days.", 1, "lm"),
    ("Your price increase is the last straw, please cancel my subscription.", 1, "lmh"),
    ("Please delete my account entirely, and I don't want any more emails from you.", 0, "lm"),
    ("{app} says 'contact support to cancel', so here I am: please cancel my {paid_plan} plan.", 0, "lmh"),
    ("I'd like to stop my subscription at the end of the month, the free features are enough for me and I'd rather save the {small_amount}.", 0, "lm"),
    ("Can you confirm that my cancellation went through? {web} still shows the plan as active.", 1, "lmh"),
    ("Please cancel the order I placed this morning, I found the {device} cheaper locally.", 0, "lmh"),
    ("We've decided not to renew Lumora Cloud for our {stores} stores. What is the notice period, and when will the final invoice come?", 0, "lm"),
    ("I want to stop the cloud plan but keep using the cameras locally. Is that possible without losing the recordings?", 0, "lm"),
    ("I no longer have the {device}, so there's no point paying for the plan. Please close my subscription.", 0, "lm"),
    ("My [mother|father|aunt] has moved into a care home, please end the subscription on [her|his|her] account.", 0, "lm"),
    ("{app} has got so slow and laggy lately that I'd rather cancel the Pro plan than keep fighting it.", 1, "lm"),
    ("Please unsubscribe me from all marketing emails and cancel my newsletter, and close my account too.", 0, "lm"),
    ("I want out of the annual contract, I was told I could leave at any time when I signed up.", 1, "mh"),
]

# ------------------------------------------------------------------------------------ openings
OPEN = {
    "billing": ["I'm writing about a charge on my account.", "There's a problem with my latest invoice.",
                "Something is off with my billing.", "Quick question about my subscription fee.",
                "I think there's a mistake on my bill.", "I'm contacting you about a payment issue.",
                "My bank statement doesn't match what I expected.", "I need help with a charge I don't understand.",
                "I'd like to dispute a charge.", "This is about the money taken from my card.",
                "Our finance team asked me to get in touch.", "I was looking at my statement and noticed something odd.",
                "I need some help with the billing side of my account.", "Can someone from accounts look at this?",
                "The numbers on my account don't add up.", "A question about what I've been charged."],
    "account-access": ["I can't get into my account.", "I'm locked out.", "I'm having trouble signing in.",
                       "I need help accessing my account.", "Login problem here.",
                       "I've been trying to log in since this morning.", "Something is wrong with my login.",
                       "I need to regain access to my Lumora account.", "I can't reach my home in the app anymore.",
                       "Having issues getting past the sign-in screen.", "I'm writing because I can't sign in.",
                       "I need help with my account credentials.", "I'm stuck outside my own account.",
                       "Access issue on my account.", "I can't sign in, and everything is in that account."],
    "shipping": ["I'm writing about my order.", "There's an issue with my delivery.", "Question about shipping.",
                 "I'm checking on the status of a delivery.", "I need help with a shipment.",
                 "About my recent order from your store.", "I ordered from your shop a while ago.",
                 "I have a question about my package.", "Hoping you can help with a delivery problem.",
                 "Following up on a delivery.", "Something went wrong with my parcel.",
                 "I'm having trouble with a delivery.", "A question about an order I placed.",
                 "Delivery issue here.", "My purchase hasn't gone the way it should."],
    "technical-bug": ["I think I found a bug.", "Something isn't working right.", "I'm having a technical problem.",
                      "Since the last update something broke.", "I'm seeing a weird error.",
                      "There's a glitch I need help with.", "Bug report.", "Not sure if this is a bug or me, but here goes.",
                      "Reporting a problem with my setup.", "Something stopped working this week.",
                      "I need technical help.", "Your latest update seems to have broken something.",
                      "I've run into what looks like a software fault.", "Technical issue here.",
                      "I've been troubleshooting this for a while with no luck."],
    "feature-request": ["I have a suggestion.", "Feature request.", "Just an idea for the product.",
                        "I'd like to suggest an improvement.", "Here's something I'd love to see.",
                        "A small wish for a future update.", "I have an idea that could make the product better.",
                        "Not a problem, just a suggestion.", "Some feedback on what's missing for us.",
                        "I was wondering if this is on your roadmap.", "One thing I keep missing.",
                        "Product idea from a long-time user.", "Could you pass this on to the product team?",
                        "I'd like to request a feature.", "Something that would make my life easier."],
    "cancellation": ["I'd like to cancel.", "I want to end my subscription.", "Please process my cancellation.",
                     "I've decided to leave Lumora.", "Time to say goodbye, I'm afraid.",
                     "I need to cancel something on my account.", "I want to stop my plan.",
                     "Cancellation request.", "I'm writing to cancel.", "Please close things down on my side.",
                     "I won't be continuing with the service.", "How do I cancel?",
                     "I'd like to opt out.", "We've decided not to continue.", "Requesting cancellation, details below."],
}

SUBJECTS = {  # generic, so that they never contradict the problem
    "billing": ["Billing issue", "Question about my bill", "Billing question", "Charges on my account",
                "Payment problem", "My subscription fee", "Billing", "Account balance"],
    "account-access": ["Can't log in", "Login issue", "Account access", "Need access to my account",
                       "Sign-in problem", "Can't get into my account", "Login"],
    "shipping": ["Delivery problem", "Shipping question", "Order status", "My order", "Delivery issue",
                 "About my order", "Delivery"],
    "technical-bug": ["Bug", "Something broke", "Technical issue", "Problem with my setup", "Not working properly",
                      "Bug report", "Technical problem"],
    "feature-request": ["Suggestion", "Feature idea", "Feature request", "Wishlist", "Idea",
                        "Product feedback", "Would love this", "Roadmap question"],
    "cancellation": ["Cancellation", "Please cancel", "Cancellation request", "Cancelling", "Leaving",
                     "Cancel"],
}

# ------------------------------------------------------------------------------------ urgency cues
URG = {
    "high": ["This is urgent.", "Please treat this as urgent.", "I need this sorted today.",
             "Please escalate this, it can't wait.", "Please call me back as soon as possible.",
             "I need this resolved before tomorrow morning.", "ASAP please!", "This needs immediate attention.",
             "I can't wait days for an answer on this one.", "I need an answer within the hour if at all possible.",
             "Please help immediately.", "This can't wait until Monday.", "Urgent, please."],
    "medium": ["I'd appreciate an answer in the next few days.", "Could you get back to me this week?",
               "It's not an emergency, but I'd like it sorted soon.", "Ideally before the end of the month.",
               "Please look into it when you can this week.", "A reply in the next couple of days would be great.",
               "I'll need this sorted before {fdate}.", "It's a little time-sensitive.",
               "Sooner rather than later would be good.", "Could someone look at it in the next day or two?",
               "I'd like to get this settled this week if possible."],
    "low": ["No rush at all.", "Whenever you get a chance.", "No hurry, take your time.",
            "Whenever someone has a moment.", "At your convenience.", "No need to reply quickly.",
            "Not urgent.", "Any time in the next few weeks is fine.", "No rush, whenever suits you."],
}
# outage-style cues, only for topics where something stopped working
URG_OPS = ["We have customers waiting and this is costing us.", "Our business depends on this and we're losing sales every hour.",
           "It's blocking our whole team.", "Right now we can't work at all.", "Every hour this goes on is a problem for us.",
           "I need this fixed right now."]
# "flag it" style low cues, for reports of small faults
LOW_FLAG = ["Not urgent, just wanted to flag it.", "Low priority, just letting you know.", "It's only a minor thing.",
            "Not a big deal, but thought you should know.", "It's not holding me up.",
            "This can wait, it's not affecting anything important."]
URG_TOPIC = {
    "billing": {"high": ["The payment is due today and my account gets suspended otherwise.",
                         "Our auditor needs the corrected invoice by tomorrow.",
                         "That money was for my rent, so I need it back now."],
                "medium": ["I'd like this fixed before my next statement.", "Please sort it before the next renewal."],
                "low": ["It's a small amount, so no rush.", "Just want it right for next month's books."] + LOW_FLAG},
    "account-access": {"high": ["All our cameras are on this account and I can't see any of them right now.",
                                "I'm abroad and can't check on my house until I get back in.",
                                "Our staff can't open the shop door system without it."] + URG_OPS[:4],
                       "medium": ["I'd like to get back in before the weekend.", "I need it for a trip next week."],
                       "low": ["I don't need it right away, I just want it fixed eventually."] + LOW_FLAG[:3]},
    "shipping": {"high": ["The installer is coming tomorrow morning and I have nothing to install.",
                          "It's a gift for a birthday tomorrow.", "We open the new store on Monday and need these."],
                 "medium": ["It's a present for next week, so I'd like to know where it is.",
                            "I need it before I travel on {fdate}."],
                 "low": ["I'm not in a hurry for it.", "I don't need it until next month anyway."] + LOW_FLAG[:4]},
    "technical-bug": {"high": ["Our shop cameras have been down since this morning.",
                               "My house is unprotected while I'm away until this is fixed.",
                               "The whole office is affected."] + URG_OPS,
                      "medium": ["It's annoying enough that I'd like a fix soon.", "It happens a few times a day now."],
                      "low": ["It only happens now and then.", "There's a workaround, so it's not a big deal."] + LOW_FLAG},
    "feature-request": {"high": ["Our rollout is next Monday and we can't go live without this.",
                                 "Our contract renewal depends on this, we need an answer today.",
                                 "We have to decide by tomorrow whether to order 40 more units, so I need to know now.",
                                 "Our IT audit is tomorrow and this is the one missing item.",
                                 "Our management wants an answer today, it decides whether we stay."],
                        "medium": ["We're deciding on our setup this month, so an answer would help.",
                                   "We're planning next quarter's budget, so a rough timeline this week would help."],
                        "low": ["Just a thought for some day.", "Only a nice-to-have.", "Just curious really.",
                                "Just for future reference."]},
    "cancellation": {"high": ["The plan renews tomorrow, so please cancel it today.",
                              "The next charge goes out tomorrow, so it has to be done today."],
                     "medium": ["Please do it before the next renewal.", "It needs to be done before the end of the month."],
                     "low": ["Whenever suits, the end of the period is fine."]},
}

# ------------------------------------------------------------------------------------ tone
TONE = {
    "negative": ["This is really frustrating.", "Honestly, I'm fed up.", "This is the third time I'm contacting you about this.",
                 "I'm very disappointed with how this has been handled.", "This is completely unacceptable.",
                 "I've been a customer for {years} years and I've never been this annoyed.",
                 "Your support has been useless so far.", "I'm not happy, to put it mildly.",
                 "Seriously, how hard can this be?", "I expected a lot better from you.", "Frankly, this is ridiculous.",
                 "I'm losing my patience here.", "I've been patient, but I'd really like a real answer this time.",
                 "With respect, this should not be this difficult.",
                 "I don't want to be rude, but this is the second time I've had to write in.",
                 "I'd appreciate it if someone actually read my message this time.",
                 "I'm trying to stay calm, but this is wearing thin.", "This is NOT ok.", "Very poor service.",
                 "Nobody seems to care, which is pretty upsetting.", "I'm honestly regretting buying into your system.",
                 "Kindly fix this, I've now spent hours on it.", "Not impressed at all."],
    "positive": ["Love your products, by the way!", "First of all, thanks for the great service so far.",
                 "I'm a big fan of your stuff.", "You've always been super helpful, so I'm sure we can sort this out.",
                 "Everything else works brilliantly, keep it up!", "Thanks so much, you guys are great.",
                 "Your team helped me quickly last time, really appreciated.", "Really enjoying the system overall.",
                 "Thank you for a great product!", "Happy customer here for {years} years.", "Loving the setup so far :)",
                 "Cheers for all the good work!", "Thanks a ton in advance, really appreciate it!",
                 "Honestly it's the best smart-home kit I've owned.", "Keep up the great work!",
                 "Your support chat was lovely last time, so I'm hopeful."],
}
TONE_TOPIC = {
    "billing": {"negative": ["I don't appreciate being charged for things I didn't ask for.",
                             "Taking money without asking is not how you treat customers."],
                "positive": ["The plan itself is great value.", "I'm really happy with the subscription otherwise."]},
    "account-access": {"negative": ["Being locked out of my own home system is absurd."],
                       "positive": ["I really like how secure you keep things, so thank you for that."]},
    "shipping": {"negative": ["Worst delivery experience I've had in years."],
                 "positive": ["My last order came super fast, so this is unusual.", "Can't wait to set it up!"]},
    "technical-bug": {"negative": ["Your last update broke more than it fixed."],
                      "positive": ["Otherwise the new update is fantastic.", "It's a small blemish on a brilliant product."]},
    "feature-request": {"negative": ["I can't believe such a basic thing is still missing.",
                                     "Honestly, it's embarrassing that this doesn't exist yet."],
                        "positive": ["The product is already great, this would make it perfect.",
                                     "You've been adding great stuff lately, thank you!"]},
    "cancellation": {"negative": ["The service has gone downhill and I'm done.", "I'm done wasting my time with this."],
                     "positive": ["It's nothing you did, the service has been great.",
                                  "Thanks for everything over the years!", "I'd happily recommend you to friends."]},
}
# tone lines that only read well after the problem
AFTER_PROBLEM = ("Otherwise", "It's a small blemish", "It's nothing you did", "I'd happily recommend", "Everything else")
NEUTRAL_LINES = ["Please advise.", "Let me know if you need more details.", "Details below.", "Thanks in advance.",
                 "I can send screenshots if needed.", "Let me know what you need from me.", "See below.",
                 "Please let me know the next steps."]

DETAIL = {
    "billing": ["My customer number is {cust}.", "The charge was on {date}.", "I've attached a screenshot of the statement.",
                "The card ends in {last4}.", "I'm on the {paid_plan} plan, paid monthly.", "It's the invoice for {month}."],
    "account-access": ["My login is {email}.", "I've tried on two different phones.", "I already tried a private window.",
                       "I've reinstalled everything and it makes no difference.", "The account is under {email}.",
                       "I set the account up back in {month}."],
    "shipping": ["Tracking number: {trk}.", "I ordered on {date}.", "I was home all day, so nobody missed the courier.",
                 "The shop said 2-4 business days.", "It was sent with {carrier}.", "The order number is {order}."],
    "technical-bug": ["I'm on app version {ver}.", "Firmware is {fw}.", "I've already restarted the router and the hub.",
                      "It started after the update on {date}.", "Happens on Wi-Fi and on 4G alike.", "My phone is a {phone}.",
                      "Screenshots attached.", "I've tried turning it off and on again, twice."],
    "feature-request": ["I've seen this in other products.", "Happy to beta test it.",
                        "Our use case: {n} cameras in a warehouse.", "I know a few people on the forum asked for this too.",
                        "We use the system in {stores} shops."],
    "cancellation": ["My login is {email}.", "The account is in the name of {first} {last}.",
                     "I signed up back in {month}.", "My customer number is {cust}."],
}
SLOTS["first"] = lambda c: c["rng"].choice(FIRST)
SLOTS["last"] = lambda c: c["rng"].choice(LAST)

SCOPE = {  # (text, severity delta); only for topics where it makes sense
    "many": [("This affects everyone in our office, {n} people.", 1.2),
             ("We run {stores} stores on your system and all of them are affected.", 1.4),
             ("It's happening for all {n} of our users.", 1.2),
             ("All {n} cameras at [our warehouse|our site|the school] are affected.", 1.3)],
    "few": [("My whole family uses this account.", 0.4), ("It's the same on both of our homes.", 0.4)],
    "one": [("As far as I know it's only me.", -0.3), ("It's just my account, my partner's is fine.", -0.3)],
}
SCOPE_TOPICS = {"billing", "account-access", "technical-bug"}

ASK = {
    "billing": ["Can you refund the difference?", "Please correct this and send me a new invoice.",
                "Could you check what happened?", "I'd like the extra charge reversed.", "Please explain what this is for.",
                "Can you sort this out?"],
    "account-access": ["Please help me get back in.", "Can you reset it on your side?", "How do I get access back?",
                       "Please unlock it.", "Can you verify me some other way?", "What can I do?"],
    "shipping": ["Where is it now?", "Please send a replacement.", "Can you check with the courier?",
                 "When can I expect it?", "Please let me know what happens next.", "Can you help?"],
    "technical-bug": ["Is this a known issue?", "Is there a fix or workaround?", "Please look into this.",
                      "Can you tell me when it'll be fixed?", "What should I try next?", "Any ideas?"],
    "feature-request": ["Is this on the roadmap?", "Any chance this could happen?", "Thanks for considering it.",
                        "Would love to hear if this is planned.", "Is anything like this planned?"],
    "cancellation": ["Please confirm once it's done.", "Please send me a confirmation.", "What do I need to do?",
                     "Let me know if you need anything else from me.", "Can you confirm there won't be another charge?"],
}

GREET = ["Hi,", "Hello,", "Hi there,", "Hey,", "Dear Lumora team,", "Hello support,", "Good morning,",
         "Hi Lumora,", "To whom it may concern,", "Hello team,", "Hey there,", "Good afternoon,", "Dear support,"]
CLOSE = {
    "negative": ["Waiting for your reply.", "Regards,", "I expect a response.", "Sort it out please.", "Regards", ""],
    "neutral": ["Thanks,", "Regards,", "Best,", "Kind regards,", "Thank you,", "Best regards,", "Cheers,", ""],
    "positive": ["Thanks so much!", "Cheers!", "Have a great day!", "Many thanks :)", "Thanks again!",
                 "All the best,", "Warm regards,"],
}

# ------------------------------------------------------------------------------------ tags
TAG_RULES = {
    "mobile-app": r"\bapps?\b|\bios\b|android|iphone|ipad|app store|google play|lumora home",
    "web": r"website|\bweb\b|dashboard|browser|\bchrome\b|firefox|safari|\bedge\b|checkout page|private window|status page|sign-in page",
    "device": r"\bcams?\b|camera|doorbell|\bhub\b|hub 2|thermostat|thermo s|smart lock|lock x|\bplugs?\b|\bbulbs?\b|sensors?\b|smoke sense|\blights\b|night vision|live view",
    "payment": r"\bcharg(e|ed|es)\b|invoice|refund|payment|\bpaid\b|\bpay\b|paying|\bbilled\b|billing|\bbill\b|price|\$|\beur \d|\bgbp \d|\bfees?\b|receipt|paypal|\bvat\b|\btax|\bcard\b|promo code",
    "email": r"\be-?mails?\b|inbox|spam folder|\bspam\b|newsletter",
    "order": r"\border(s|ed|ing)?\b|parcel|package|deliver|shipping|shipped|shipment|courier|tracking|return label|\bships\b",
    "data": r"\bdata\b|recordings?\b|recorded|\bclips?\b|history|export|\bsync\b|\bcsv\b|footage|\bapi\b|readings|webhooks?",
    "performance": r"\bslow|\blag\b|laggy|freez|stutter|drains?\b|takes more than a minute|sluggish|minutes late|time(s|d)? ?out|take forever|takes? ages",
    "security": r"password|two-factor|2fa|two-step|verification|sms code|hack|suspicious|unauthori[sz]ed|locked out|\bis locked\b|still locked|got locked|\bsso\b|single sign-on|fraud|wasn't me|security|second factor|user roles|admin rights|sign-in from",
}
TAG_RX = {t: re.compile(rx, re.I) for t, rx in TAG_RULES.items()}


def tags_of(text):
    return [t for t in TAGS if TAG_RX[t].search(text)]


# ------------------------------------------------------------------------------------ sampling
URG_WEIGHTS = {"billing": (0.3, 0.4, 0.3), "account-access": (0.25, 0.35, 0.4), "shipping": (0.3, 0.4, 0.3),
               "technical-bug": (0.25, 0.35, 0.4), "feature-request": (0.6, 0.3, 0.1),
               "cancellation": (0.35, 0.4, 0.25)}
SENT_WEIGHTS = {"billing": (0.45, 0.35, 0.2), "account-access": (0.4, 0.4, 0.2), "shipping": (0.45, 0.35, 0.2),
                "technical-bug": (0.45, 0.3, 0.25), "feature-request": (0.15, 0.4, 0.45),
                "cancellation": (0.4, 0.35, 0.25)}
# problems whose wording fixes a tone
NEG_ONLY = {"I've had enough", "last straw"}
URG_BASE = {"low": 2.0, "medium": 4.3, "high": 6.6}


def pick(rng, items, weights):
    return rng.choices(items, weights=weights, k=1)[0]


def sentence_count(s):
    return max(1, len(re.findall(r"[.!?]+(\s|$)", s)))


def compose(rng, topic, urgency, sentiment):
    """One ticket (text before noise, severity before noise) or None when the draw must be redone."""
    ctx = {"rng": rng}
    probs = [p for p in P[topic] if urgency[0] in p[2]]
    if sentiment != "negative":
        probs = [p for p in probs if not any(k in p[0] for k in NEG_ONLY)]
    tmpl, impact, _ = rng.choice(probs)
    problem = fill(tmpl, ctx)
    body = []  # (role, text)
    budget = pick(rng, [1, 2, 3, 4, 5], [0.08, 0.2, 0.3, 0.25, 0.17])

    opener = None
    if rng.random() < 0.55:
        opener = fill(rng.choice(OPEN[topic]), ctx)
    tone = []
    if sentiment in ("negative", "positive"):
        k = 2 if rng.random() < 0.3 else 1
        pool = TONE[sentiment] + TONE_TOPIC[topic][sentiment] * 3
        tone = [fill(t, ctx) for t in rng.sample(pool, k)]
    urg = []
    upool = URG[urgency] + URG_TOPIC[topic][urgency] * 3
    if topic == "feature-request" and urgency == "high":
        upool = URG_TOPIC[topic][urgency]
    if topic == "cancellation" and "order" in tmpl:  # a shop order, not a plan
        upool = URG[urgency] + {"high": ["It ships today, so please stop it right away.",
                                         "Please stop it before it leaves the warehouse today."],
                                "medium": ["Please stop it before it ships."],
                                "low": []}[urgency] * 3
    if urgency == "high":
        urg = [fill(t, ctx) for t in rng.sample(upool, 2 if rng.random() < 0.3 else 1)]
    elif rng.random() < (0.8 if urgency == "medium" else 0.85):
        urg = [fill(rng.choice(upool), ctx)]

    scope_delta = 0.0
    scope = None
    if topic in SCOPE_TOPICS and rng.random() < 0.22:
        kind = pick(rng, ["many", "few", "one"], {"high": (0.6, 0.3, 0.1), "medium": (0.3, 0.4, 0.3),
                                                  "low": (0.05, 0.35, 0.6)}[urgency])
        s, scope_delta = rng.choice(SCOPE[kind])
        scope = fill(s, ctx)
    detail = fill(rng.choice(DETAIL[topic]), ctx) if rng.random() < 0.35 else None
    ask = fill(rng.choice(ASK[topic]), ctx) if rng.random() < 0.5 else None
    neutral = fill(rng.choice(NEUTRAL_LINES), ctx) if sentiment == "neutral" and rng.random() < 0.35 else None

    # order: [opener or leading tone] problem [detail] [scope] [urgency] [tone] [ask]
    n = sentence_count(problem) + len(urg) + len(tone)
    optional = [x for x in (opener, detail, scope, ask, neutral) if x]
    rng.shuffle(optional)
    keep = set()
    for x in optional:
        if n >= budget:
            break
        keep.add(x)
        n += sentence_count(x)
    lead_tone = tone and rng.random() < 0.4 and not tone[0].startswith(AFTER_PROBLEM)
    if opener in keep:
        body.append(opener)
    if lead_tone:
        body.append(tone[0])
    body.append(problem)
    for x in (detail, scope):
        if x in keep:
            body.append(x)
    tail = list(urg) + (tone[1:] if lead_tone else tone)
    rng.shuffle(tail)
    body += tail
    for x in (ask, neutral):
        if x in keep:
            body.append(x)

    parts = []
    if rng.random() < 0.22:
        subj = rng.choice(SUBJECTS[topic])
        if urgency == "high" and rng.random() < 0.5:
            subj = rng.choice(["URGENT: ", "Urgent - ", "URGENT ", "[urgent] "]) + subj
        parts.append(rng.choice(["Subject: %s -", "%s --", "Re: %s -", "%s:"]) % subj)
    if rng.random() < 0.6:
        parts.append(rng.choice(GREET))
    parts += [b[0].upper() + b[1:] for b in body]
    if rng.random() < 0.6:
        close = rng.choice(CLOSE[sentiment])
        name = rng.choice(FIRST)
        r = rng.random()
        if r < 0.25:
            name += " " + rng.choice(LAST)
        elif r < 0.35:
            name += ", " + rng.choice(COMPANIES)
        if close.endswith(",") or not close:
            parts.append((close + " " + name).strip())
        else:
            parts.append(close + " " + rng.choice(["", "- "]) + name)
    text = " ".join(p for p in parts if p)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\bon (last|next) ", r"\1 ", text)

    tags = tags_of(text)
    if not 1 <= len(tags) <= 3:
        return None
    sev = URG_BASE[urgency] + 0.75 * impact + scope_delta + rng.gauss(0, 0.45)
    if "security" in tags and topic != "feature-request":
        sev += 0.6
    if ctx.get("max_amount", 0) > 150:
        sev += 0.4
    if topic == "feature-request":
        sev -= 0.7
    sev = min(10.0, max(1.0, round(sev, 1)))
    return text, tags, sev


TYPO_SKIP = re.compile(r"[#\d@$]|Lumora|^[A-Z]{2,}")


def noise(rng, text):
    """Cosmetic noise after labelling: lower case, missing final punctuation, letter swaps, dropped
    apostrophes, chat abbreviations."""
    if rng.random() < 0.07:
        text = text.lower()
    if rng.random() < 0.12:
        words = text.split(" ")
        for _ in range(rng.choice([1, 1, 2])):
            idx = [i for i, w in enumerate(words) if len(w) > 4 and w.isalpha() and not TYPO_SKIP.search(w)]
            if not idx:
                break
            i = rng.choice(idx)
            w = words[i]
            j = rng.randint(1, len(w) - 2)
            op = rng.random()
            if op < 0.5:
                w = w[:j] + w[j + 1] + w[j] + w[j + 2:]
            elif op < 0.8:
                w = w[:j] + w[j + 1:]
            else:
                w = w[:j] + w[j] + w[j:]
            words[i] = w
        text = " ".join(words)
    if rng.random() < 0.06:
        text = text.replace("'", "")
    if rng.random() < 0.04:
        text = re.sub(r"\bplease\b", "pls", text)
        text = re.sub(r"\byou\b", "u", text)
    if rng.random() < 0.1 and text[-1] in ".!":
        text = text[:-1]
    return text


def generate(n, seed):
    rng = random.Random(seed)
    topics = [TOPICS[i % len(TOPICS)] for i in range(n)]
    rng.shuffle(topics)
    rows, seen = [], set()
    for i, topic in enumerate(topics):
        urgency = pick(rng, URGENCIES, URG_WEIGHTS[topic])
        sentiment = pick(rng, SENTIMENTS, SENT_WEIGHTS[topic])
        while True:
            made = compose(rng, topic, urgency, sentiment)
            if made is None:
                continue
            text, tags, sev = made
            text = noise(rng, text)
            if text.lower() in seen:
                continue
            seen.add(text.lower())
            break
        rows.append({"id": "tkt-%04d" % (i + 1), "text": text, "topic": topic, "urgency": urgency,
                     "sentiment": sentiment, "tags": ";".join(tags), "severity": "%.1f" % sev})
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--n", type=int, default=1080)
    ap.add_argument("--seed", type=int, default=2026)
    a = ap.parse_args()
    rows = generate(a.n, a.seed)
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=["id", "text", "topic", "urgency", "sentiment", "tags", "severity"],
                           lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print("wrote %d rows to %s" % (len(rows), a.out))


if __name__ == "__main__":
    main()
