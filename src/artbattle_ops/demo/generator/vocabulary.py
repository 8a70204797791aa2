"""Built-in word lists: fictional names, real city names with their zones, and message copy."""

from __future__ import annotations

from typing import NamedTuple

# Fixture first names (Maya, Lucas, Ava, Priya, Tom, Sofia, Diego, Chris, Jordan, Rosa) are left
# out so that background people never collide with the fixtures' names.
FIRST_NAMES = (  # noqa: SIM905 - word lists read best as one string
    "Aaliyah Abigail Adam Aiden Alex Alice Amara Amir Ana Andre Andrew Anika Aria Arjun Ayesha "
    "Ben Bianca Caleb Camila Carlos Chloe Claire Daniel Dev Elena Eli Emily Emma Ethan Fatima "
    "Felix Fiona Gabriel Grace Hana Harper Hassan Ines Isaac Isla Ivan Jack Jade James Jasmine "
    "Jin Joel Julia Kai Karim Kate Kenji Laila Leah Leo Liam Lily Lina Luca Mai Malik Marco Maria "
    "Mateo Mei Mia Mohammed Nadia Naomi Nathan Nina Noah Nora Olivia Omar Oscar Paul Petra Quinn "
    "Rafael Ravi Rhea Riley Ruby Ryan Sam Samira Sara Sean Simone Sophie Stella Tariq Tessa Theo "
    "Uma Valentina Victor Wei Will Yara Yusuf Zara Zoe"
).split()

LAST_NAMES = (  # noqa: SIM905 - word lists read best as one string
    "Abbott Adeyemi Ahmed Allen Anderson Bailey Baker Banerjee Bell Bennett Bianchi Brooks Brown "
    "Campbell Carter Castillo Chang Clarke Cohen Collins Cooper Costa Cruz Davies Diaz Dubois "
    "Edwards Evans Fernandes Fischer Flores Foster Garcia Gill Gomez Gonzalez Graham Gray Green "
    "Gupta Hall Hansen Harris Hayes Hernandez Hill Hughes Ibrahim Ito James Jensen Johnson Jones "
    "Kaur Kelly Khan Kim King Kowalski Lam Larsen Lee Lewis Lopez Martin Martinez Mendes Miller "
    "Mitchell Moore Morgan Murphy Nakamura Nguyen Novak O'Brien Okafor Olsen Park Patel Perez "
    "Peters Phillips Price Ramirez Reed Reyes Richards Rivera Roberts Robinson Rodriguez Ross "
    "Russell Sanchez Santos Sato Schmidt Scott Shah Silva Singh Smith Stewart Sullivan Suzuki "
    "Tanaka Taylor Torres Tremblay Turner Vasquez Wagner Walsh Wang Ward Watson White Williams "
    "Wilson Wong Wright Wu Yamamoto Young Zhang"
).split()

EMAIL_DOMAINS = ("example.com", "example.net", "example.org")


class CitySpec(NamedTuple):
    """One city of the catalogue: display name, country, province, IANA zone, dialling block."""

    name: str
    country: str
    state: str
    zone: str
    area_codes: tuple[str, ...]
    weight: float


def _c(name: str, country: str, state: str, zone: str, codes: str, weight: float) -> CitySpec:
    return CitySpec(name, country, state, zone, tuple(codes.split()), weight)


# The first 22 are the demo cities of schema.md §8.2; bench takes the first 60, bench10 all.
CITIES = (
    _c("Toronto", "CA", "Ontario", "America/Toronto", "416 647 437", 16.0),
    _c("Ottawa", "CA", "Ontario", "America/Toronto", "613 343", 5.0),
    _c("Montréal", "CA", "Québec", "America/Toronto", "514 438", 6.0),
    _c("Victoria", "CA", "British Columbia", "America/Vancouver", "250", 2.5),
    _c("Edmonton", "CA", "Alberta", "America/Edmonton", "780 587", 3.0),
    _c("Boston", "US", "Massachusetts", "America/New_York", "617 857", 6.0),
    _c("Philadelphia", "US", "Pennsylvania", "America/New_York", "215 267", 4.0),
    _c("Pittsburgh", "US", "Pennsylvania", "America/New_York", "412", 3.0),
    _c("Wilmington", "US", "Delaware", "America/New_York", "302", 1.5),
    _c("Lancaster", "US", "Pennsylvania", "America/New_York", "717", 1.5),
    _c("San Francisco", "US", "California", "America/Los_Angeles", "415 628", 5.0),
    _c("Oakland", "US", "California", "America/Los_Angeles", "510 341", 3.0),
    _c("Seattle", "US", "Washington", "America/Los_Angeles", "206 564", 4.0),
    _c("Minneapolis", "US", "Minnesota", "America/Chicago", "612", 3.0),
    _c("Omaha", "US", "Nebraska", "America/Chicago", "402", 1.5),
    _c("Wichita Falls", "US", "Texas", "America/Chicago", "940", 1.0),
    _c("Grand Rapids", "US", "Michigan", "America/Detroit", "616", 2.0),
    _c("Sydney", "AU", "New South Wales", "Australia/Sydney", "", 5.0),
    _c("Melbourne", "AU", "Victoria", "Australia/Melbourne", "", 4.0),
    _c("Auckland", "NZ", "Auckland", "Pacific/Auckland", "", 3.0),
    _c("Bangkok", "TH", "Bangkok", "Asia/Bangkok", "", 2.0),
    _c("Amsterdam", "NL", "North Holland", "Europe/Amsterdam", "", 2.0),
    _c("Vancouver", "CA", "British Columbia", "America/Vancouver", "604 778", 3.0),
    _c("Calgary", "CA", "Alberta", "America/Edmonton", "403 825", 2.0),
    _c("Winnipeg", "CA", "Manitoba", "America/Winnipeg", "204", 1.5),
    _c("Halifax", "CA", "Nova Scotia", "America/Halifax", "902", 1.5),
    _c("Québec City", "CA", "Québec", "America/Toronto", "418", 1.5),
    _c("Hamilton", "CA", "Ontario", "America/Toronto", "905", 1.5),
    _c("Kitchener", "CA", "Ontario", "America/Toronto", "519", 1.0),
    _c("Saskatoon", "CA", "Saskatchewan", "America/Regina", "306", 1.0),
    _c("London", "GB", "England", "Europe/London", "", 2.0),
    _c("New York", "US", "New York", "America/New_York", "212 646", 4.0),
    _c("Chicago", "US", "Illinois", "America/Chicago", "312 773", 3.0),
    _c("Los Angeles", "US", "California", "America/Los_Angeles", "213 323", 3.0),
    _c("San Diego", "US", "California", "America/Los_Angeles", "619", 1.5),
    _c("Portland", "US", "Oregon", "America/Los_Angeles", "503", 1.5),
    _c("Denver", "US", "Colorado", "America/Denver", "303", 1.5),
    _c("Austin", "US", "Texas", "America/Chicago", "512", 1.5),
    _c("Atlanta", "US", "Georgia", "America/New_York", "404", 1.5),
    _c("Miami", "US", "Florida", "America/New_York", "305", 1.0),
    _c("Detroit", "US", "Michigan", "America/Detroit", "313", 1.0),
    _c("Nashville", "US", "Tennessee", "America/Chicago", "615", 1.0),
    _c("Phoenix", "US", "Arizona", "America/Phoenix", "602", 1.0),
    _c("Salt Lake City", "US", "Utah", "America/Denver", "801", 1.0),
    _c("Baltimore", "US", "Maryland", "America/New_York", "410", 1.0),
    _c("Washington", "US", "District of Columbia", "America/New_York", "202", 1.5),
    _c("New Orleans", "US", "Louisiana", "America/Chicago", "504", 1.0),
    _c("Kansas City", "US", "Missouri", "America/Chicago", "816", 1.0),
    _c("St. Louis", "US", "Missouri", "America/Chicago", "314", 1.0),
    _c("Milwaukee", "US", "Wisconsin", "America/Chicago", "414", 1.0),
    _c("Columbus", "US", "Ohio", "America/New_York", "614", 1.0),
    _c("Sacramento", "US", "California", "America/Los_Angeles", "916", 1.0),
    _c("Richmond", "US", "Virginia", "America/New_York", "804", 1.0),
    _c("Honolulu", "US", "Hawaii", "Pacific/Honolulu", "808", 0.5),
    _c("Brisbane", "AU", "Queensland", "Australia/Brisbane", "", 1.5),
    _c("Perth", "AU", "Western Australia", "Australia/Perth", "", 1.0),
    _c("Adelaide", "AU", "South Australia", "Australia/Adelaide", "", 1.0),
    _c("Wellington", "NZ", "Wellington", "Pacific/Auckland", "", 1.0),
    _c("Rotterdam", "NL", "South Holland", "Europe/Amsterdam", "", 0.5),
    _c("Chiang Mai", "TH", "Chiang Mai", "Asia/Bangkok", "", 0.5),
    *(
        _c(name, country, state, zone, codes, 0.5)
        for name, country, state, zone, codes in (
            ("Regina", "CA", "Saskatchewan", "America/Regina", "639"),
            ("Kingston", "CA", "Ontario", "America/Toronto", "343"),
            ("Guelph", "CA", "Ontario", "America/Toronto", "226"),
            ("Mississauga", "CA", "Ontario", "America/Toronto", "289"),
            ("Kelowna", "CA", "British Columbia", "America/Vancouver", "236"),
            ("Nanaimo", "CA", "British Columbia", "America/Vancouver", "672"),
            ("Red Deer", "CA", "Alberta", "America/Edmonton", "368"),
            ("Lethbridge", "CA", "Alberta", "America/Edmonton", "587"),
            ("Sherbrooke", "CA", "Québec", "America/Toronto", "819"),
            ("Trois-Rivières", "CA", "Québec", "America/Toronto", "873"),
            ("Gatineau", "CA", "Québec", "America/Toronto", "354"),
            ("Saint John", "CA", "New Brunswick", "America/Moncton", "506"),
            ("Moncton", "CA", "New Brunswick", "America/Moncton", "428"),
            ("St. John's", "CA", "Newfoundland and Labrador", "America/St_Johns", "709"),
            ("Charlottetown", "CA", "Prince Edward Island", "America/Halifax", "782"),
            ("Sudbury", "CA", "Ontario", "America/Toronto", "705"),
            ("Barrie", "CA", "Ontario", "America/Toronto", "249"),
            ("Windsor", "CA", "Ontario", "America/Toronto", "548"),
            ("Thunder Bay", "CA", "Ontario", "America/Toronto", "807"),
            ("Whitehorse", "CA", "Yukon", "America/Whitehorse", "867"),
            ("Tucson", "US", "Arizona", "America/Phoenix", "520"),
            ("El Paso", "US", "Texas", "America/Denver", "915"),
            ("Fort Worth", "US", "Texas", "America/Chicago", "817"),
            ("Oklahoma City", "US", "Oklahoma", "America/Chicago", "405"),
            ("Tulsa", "US", "Oklahoma", "America/Chicago", "918"),
            ("Memphis", "US", "Tennessee", "America/Chicago", "901"),
            ("Louisville", "US", "Kentucky", "America/Kentucky/Louisville", "502"),
            ("Indianapolis", "US", "Indiana", "America/Indiana/Indianapolis", "317"),
            ("Cincinnati", "US", "Ohio", "America/New_York", "513"),
            ("Cleveland", "US", "Ohio", "America/New_York", "216"),
            ("Buffalo", "US", "New York", "America/New_York", "716"),
            ("Rochester", "US", "New York", "America/New_York", "585"),
            ("Albany", "US", "New York", "America/New_York", "518"),
            ("Hartford", "US", "Connecticut", "America/New_York", "860"),
            ("Providence", "US", "Rhode Island", "America/New_York", "401"),
            ("Worcester", "US", "Massachusetts", "America/New_York", "508"),
            ("Newark", "US", "New Jersey", "America/New_York", "973"),
            ("Jersey City", "US", "New Jersey", "America/New_York", "201"),
            ("Norfolk", "US", "Virginia", "America/New_York", "757"),
            ("Raleigh", "US", "North Carolina", "America/New_York", "919"),
            ("Durham", "US", "North Carolina", "America/New_York", "984"),
            ("Charlotte", "US", "North Carolina", "America/New_York", "704"),
            ("Charleston", "US", "South Carolina", "America/New_York", "843"),
            ("Savannah", "US", "Georgia", "America/New_York", "912"),
            ("Jacksonville", "US", "Florida", "America/New_York", "904"),
            ("Tampa", "US", "Florida", "America/New_York", "813"),
            ("Orlando", "US", "Florida", "America/New_York", "407"),
            ("Birmingham", "US", "Alabama", "America/Chicago", "205"),
            ("Little Rock", "US", "Arkansas", "America/Chicago", "501"),
            ("Baton Rouge", "US", "Louisiana", "America/Chicago", "225"),
            ("Houston", "US", "Texas", "America/Chicago", "713"),
            ("Dallas", "US", "Texas", "America/Chicago", "214"),
            ("San Antonio", "US", "Texas", "America/Chicago", "210"),
            ("Des Moines", "US", "Iowa", "America/Chicago", "515"),
            ("Madison", "US", "Wisconsin", "America/Chicago", "608"),
            ("St. Paul", "US", "Minnesota", "America/Chicago", "651"),
            ("Spokane", "US", "Washington", "America/Los_Angeles", "509"),
            ("Tacoma", "US", "Washington", "America/Los_Angeles", "253"),
            ("Boise", "US", "Idaho", "America/Boise", "208"),
            ("Reno", "US", "Nevada", "America/Los_Angeles", "775"),
            ("Las Vegas", "US", "Nevada", "America/Los_Angeles", "702"),
            ("Albuquerque", "US", "New Mexico", "America/Denver", "505"),
            ("Fresno", "US", "California", "America/Los_Angeles", "559"),
            ("San Jose", "US", "California", "America/Los_Angeles", "408"),
            ("Long Beach", "US", "California", "America/Los_Angeles", "562"),
            ("Santa Barbara", "US", "California", "America/Los_Angeles", "805"),
            ("Eugene", "US", "Oregon", "America/Los_Angeles", "541"),
            ("Anchorage", "US", "Alaska", "America/Anchorage", "907"),
            ("Burlington", "US", "Vermont", "America/New_York", "802"),
            ("Ann Arbor", "US", "Michigan", "America/Detroit", "734"),
            ("Pasadena", "US", "California", "America/Los_Angeles", "626"),
            ("Boulder", "US", "Colorado", "America/Denver", "720"),
            ("Asheville", "US", "North Carolina", "America/New_York", "828"),
            ("Manchester", "GB", "England", "Europe/London", ""),
            ("Bristol", "GB", "England", "Europe/London", ""),
            ("Edinburgh", "GB", "Scotland", "Europe/London", ""),
            ("Glasgow", "GB", "Scotland", "Europe/London", ""),
            ("Leeds", "GB", "England", "Europe/London", ""),
            ("Brighton", "GB", "England", "Europe/London", ""),
            ("Hobart", "AU", "Tasmania", "Australia/Hobart", ""),
            ("Canberra", "AU", "Australian Capital Territory", "Australia/Sydney", ""),
            ("Darwin", "AU", "Northern Territory", "Australia/Darwin", ""),
            ("Gold Coast", "AU", "Queensland", "Australia/Brisbane", ""),
            ("Christchurch", "NZ", "Canterbury", "Pacific/Auckland", ""),
            ("Dunedin", "NZ", "Otago", "Pacific/Auckland", ""),
            ("Utrecht", "NL", "Utrecht", "Europe/Amsterdam", ""),
            ("The Hague", "NL", "South Holland", "Europe/Amsterdam", ""),
            ("Eindhoven", "NL", "North Brabant", "Europe/Amsterdam", ""),
            ("Phuket", "TH", "Phuket", "Asia/Bangkok", ""),
            ("Tokyo", "JP", "Tokyo", "Asia/Tokyo", ""),
            ("Osaka", "JP", "Osaka", "Asia/Tokyo", ""),
            ("Shanghai", "CN", "Shanghai", "Asia/Shanghai", ""),
        )
    ),
)

# Standard-time names and offsets of the zones above, for the `timezones` table.
ZONE_NAMES = {
    "America/Toronto": ("Eastern Time", "-05:00"),
    "America/New_York": ("Eastern Time (US)", "-05:00"),
    "America/Detroit": ("Eastern Time (Michigan)", "-05:00"),
    "America/Kentucky/Louisville": ("Eastern Time (Kentucky)", "-05:00"),
    "America/Indiana/Indianapolis": ("Eastern Time (Indiana)", "-05:00"),
    "America/Chicago": ("Central Time", "-06:00"),
    "America/Winnipeg": ("Central Time (Manitoba)", "-06:00"),
    "America/Regina": ("Central Standard Time (Saskatchewan)", "-06:00"),
    "America/Denver": ("Mountain Time", "-07:00"),
    "America/Edmonton": ("Mountain Time (Alberta)", "-07:00"),
    "America/Boise": ("Mountain Time (Idaho)", "-07:00"),
    "America/Phoenix": ("Mountain Standard Time (Arizona)", "-07:00"),
    "America/Los_Angeles": ("Pacific Time", "-08:00"),
    "America/Vancouver": ("Pacific Time (Canada)", "-08:00"),
    "America/Whitehorse": ("Yukon Time", "-07:00"),
    "America/Anchorage": ("Alaska Time", "-09:00"),
    "Pacific/Honolulu": ("Hawaii Time", "-10:00"),
    "America/Halifax": ("Atlantic Time", "-04:00"),
    "America/Moncton": ("Atlantic Time (New Brunswick)", "-04:00"),
    "America/St_Johns": ("Newfoundland Time", "-03:30"),
    "Europe/London": ("Greenwich Mean Time", "+00:00"),
    "Europe/Amsterdam": ("Central European Time", "+01:00"),
    "Asia/Bangkok": ("Indochina Time", "+07:00"),
    "Asia/Shanghai": ("China Standard Time", "+08:00"),
    "Asia/Tokyo": ("Japan Standard Time", "+09:00"),
    "Australia/Perth": ("Australian Western Time", "+08:00"),
    "Australia/Darwin": ("Australian Central Time (NT)", "+09:30"),
    "Australia/Adelaide": ("Australian Central Time", "+09:30"),
    "Australia/Brisbane": ("Australian Eastern Time (Queensland)", "+10:00"),
    "Australia/Sydney": ("Australian Eastern Time", "+10:00"),
    "Australia/Melbourne": ("Australian Eastern Time (Victoria)", "+10:00"),
    "Australia/Hobart": ("Australian Eastern Time (Tasmania)", "+10:00"),
    "Pacific/Auckland": ("New Zealand Time", "+12:00"),
}

# Fictional E.164 blocks outside North America, by country: prefix plus the digits to append.
PHONE_BLOCKS = {
    "AU": ("+61491", 6),
    "NZ": ("+6421", 7),
    "TH": ("+668", 8),
    "NL": ("+316", 8),
    "GB": ("+447700", 6),
    "JP": ("+8180", 8),
    "CN": ("+86155", 8),
}

VENUE_WORDS = (  # noqa: SIM905 - word lists read best as one string
    "Foundry Gallery Warehouse Loft Hall Studio Social Commons Exchange Collective Atelier Annex "
    "Armory Brewhouse Junction Pavilion Factory Assembly Theatre Lounge"
).split()
VENUE_PREFIXES = (  # noqa: SIM905 - word lists read best as one string
    "The Red Brick|The Old|Northern|Harbour|Union|Riverside|The Grand|Maple|Copper|Blue Door|"
    "Lantern|Parkside|The Iron|Canal|Market Street|Cedar|Mercer|Granite"
).split("|")
STREETS = (  # noqa: SIM905 - word lists read best as one string
    "King St W|Queen St E|Main St|Market St|Water St|Front St|Bay St|Harbour Rd|Mill Rd|"
    "Station Ave|Church St|College St|Union Ave|Park Ln|High St"
).split("|")

BIO_SENTENCES = (
    "Paints large expressive portraits in acrylic.",
    "Works mostly with palette knives and bold colour.",
    "A muralist who has painted walls in several cities.",
    "Self-taught, painting live since the first event in town.",
    "Explores city light at night through layered glazes.",
    "Trained in illustration and moved to live painting.",
    "Known for fast abstract landscapes built in thick impasto.",
    "Teaches community art classes during the week.",
    "Mixes spray paint and brushwork on found wood panels.",
    "Draws on family photographs and memory for subject matter.",
    "Has competed in national championships twice.",
    "Likes to finish every piece with a single gold line.",
)

PRODUCER_MESSAGES = (
    "We would love to have you paint with us.",
    "Your work at the last event stood out to the whole team.",
    "Doors open at 6:30 and we start painting right after the welcome.",
    "Bring your own brushes; we supply canvas and paint.",
    "Let us know by the end of the week if you can make it.",
    "It is a sold-out room, so expect a lively crowd.",
)
