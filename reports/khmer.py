"""Khmer for the report's own strings, used where the gettext catalogue has no translation yet.

Keys are the English msgids (the same strings are marked for gettext, so once the UI's
`locale/km/LC_MESSAGES/django.po` translates them the catalogue wins), and `country:XXX` for
country names.
"""

from __future__ import annotations

KHMER = {
    # Sections
    "Law enforcement": "ការអនុវត្តច្បាប់",
    "Victim protection": "ការការពារជនរងគ្រោះ",
    "Justice": "យុត្តិធម៌",
    "Prevention": "ការបង្ការ",
    "Child affairs": "កិច្ចការកុមារ",
    # Labels
    "Operations": "ប្រតិបត្តិការ",
    "Cases investigated": "ករណីបានស៊ើបអង្កេត",
    "Suspects detained": "ជនសង្ស័យបានឃាត់ខ្លួន",
    "Suspects detained, female": "ជនសង្ស័យបានឃាត់ខ្លួន ស្រី",
    "Suspects detained, foreign": "ជនសង្ស័យបានឃាត់ខ្លួន ជនបរទេស",
    "Foreign suspects by citizenship": "ជនសង្ស័យបរទេស តាមសញ្ជាតិ",
    "Victims rescued": "ជនរងគ្រោះបានជួយសង្គ្រោះ",
    "Victims rescued, female": "ជនរងគ្រោះបានជួយសង្គ្រោះ ស្រី",
    "Victims rescued by age": "ជនរងគ្រោះបានជួយសង្គ្រោះ តាមអាយុ",
    "Rescues by placement": "ការជួយសង្គ្រោះ តាមកន្លែងបញ្ជូន",
    "Repatriated victims": "ជនរងគ្រោះបានធ្វើមាតុភូមិនិវត្តន៍",
    "Repatriated victims, female": "ជនរងគ្រោះបានធ្វើមាតុភូមិនិវត្តន៍ ស្រី",
    "Repatriated victims, children": "ជនរងគ្រោះបានធ្វើមាតុភូមិនិវត្តន៍ កុមារ",
    "Repatriated victims by country": "ជនរងគ្រោះបានធ្វើមាតុភូមិនិវត្តន៍ តាមប្រទេស",
    "Returned migrants": "ជនចំណាកស្រុកបានវិលត្រឡប់",
    "Returned migrants, children": "ជនចំណាកស្រុកបានវិលត្រឡប់ កុមារ",
    "Returned migrants by country": "ជនចំណាកស្រុកបានវិលត្រឡប់ តាមប្រទេស",
    "Referrals": "ការបញ្ជូនបន្ត",
    "Referrals by partner": "ការបញ្ជូនបន្ត តាមដៃគូ",
    "Reintegrated, monitored": "សមាហរណកម្ម បានតាមដាន",
    "Reintegrated, monitored, female": "សមាហរណកម្ម បានតាមដាន ស្រី",
    "Family tracing": "ការស្វែងរកគ្រួសារ",
    "Families assessed": "គ្រួសារបានវាយតម្លៃ",
    "Cases opened": "ករណីបានបើក",
    "Cases closed": "ករណីបានបិទ",
    "Cases open at the end": "ករណីនៅបើកនៅចុងគ្រា",
    "Deportees": "ជនត្រូវបានបណ្តេញចេញ",
    "Deportees, female": "ជនត្រូវបានបណ្តេញចេញ ស្រី",
    "Deportees, children": "ជនត្រូវបានបណ្តេញចេញ កុមារ",
    "Deportees detained over a month": "ជនត្រូវបានបណ្តេញចេញ ជាប់ឃុំលើសពីមួយខែ",
    "Deportees by country": "ជនត្រូវបានបណ្តេញចេញ តាមប្រទេស",
    "Cases prosecuted": "សំណុំរឿងបានចោទប្រកាន់",
    "Defendants": "ជនជាប់ចោទ",
    "Defendants, female": "ជនជាប់ចោទ ស្រី",
    "Convictions": "ការផ្តន្ទាទោស",
    "Prevention activities": "សកម្មភាពបង្ការ",
    "Participants": "អ្នកចូលរួម",
    "Participants, female": "អ្នកចូលរួម ស្រី",
    "Participants by kind of activity": "អ្នកចូលរួម តាមប្រភេទសកម្មភាព",
    "Children withdrawn from labour": "កុមារបានដកចេញពីពលកម្ម",
    "Girls withdrawn from labour": "ក្មេងស្រីបានដកចេញពីពលកម្ម",
    "Boys withdrawn from labour": "ក្មេងប្រុសបានដកចេញពីពលកម្ម",
    # Codes
    "under 15": "អាយុក្រោម ១៥ ឆ្នាំ",
    "15 to 17": "អាយុពី ១៥ ដល់ ១៧ ឆ្នាំ",
    "18 and over": "អាយុ ១៨ ឆ្នាំឡើង",
    "age unknown": "មិនដឹងអាយុ",
    "DoSVY": "មន្ទីរសង្គមកិច្ច",
    "NGOs": "អង្គការក្រៅរដ្ឋាភិបាល",
    "families": "គ្រួសារ",
    "other": "ផ្សេងៗ",
    "Awareness raising": "ការផ្សព្វផ្សាយ",
    "Training": "វគ្គបណ្តុះបណ្តាល",
    "Media": "ប្រព័ន្ធផ្សព្វផ្សាយ",
    "Campaign": "យុទ្ធនាការ",
    "Inspection": "ការត្រួតពិនិត្យ",
    "Meeting": "កិច្ចប្រជុំ",
    # Phrases
    "and": "និង",
    "cases": "ករណី",
    "suspects": "នាក់",
    "victims": "នាក់",
    "people": "នាក់",
    "children": "នាក់",
    "none in %(year)s": "គ្មានក្នុង %(year)s",
    "an increase of %(n)s %(unit)s or %(pct)s%% from %(year)s (%(previous)s in %(year)s)": (
        "កើនឡើង %(n)s %(unit)s ឬ %(pct)s%% ធៀបនឹង %(year)s (%(previous)s ក្នុង %(year)s)"
    ),
    "a reduction of %(n)s %(unit)s or %(pct)s%% from %(year)s (%(previous)s in %(year)s)": (
        "ថយចុះ %(n)s %(unit)s ឬ %(pct)s%% ធៀបនឹង %(year)s (%(previous)s ក្នុង %(year)s)"
    ),
    "no change from %(year)s": "មិនប្រែប្រួលធៀបនឹង %(year)s",
    # Sentences (reports.sentences)
    "Police investigated and cracked down on human trafficking and sexual exploitation in "
    "%(cases)s cases (%(operations)s operations), detained %(suspects)s suspects (F=%(female)s), "
    "%(cases_change)s and %(suspects_change)s, which comprised of %(foreign)s foreign suspects "
    "%(foreign_list)s, and rescued %(victims)s victims (F=%(victims_female)s), "
    "%(victims_change)s.": (
        "នគរបាលបានស៊ើបអង្កេត និងបង្ក្រាបការជួញដូរមនុស្ស និងអាជីវកម្មផ្លូវភេទ ចំនួន %(cases)s ករណី "
        "(%(operations)s ប្រតិបត្តិការ) ឃាត់ខ្លួនជនសង្ស័យ %(suspects)s នាក់ (ស្រី %(female)s នាក់) "
        "%(cases_change)s និង %(suspects_change)s ក្នុងនោះមានជនសង្ស័យបរទេស %(foreign)s នាក់ "
        "%(foreign_list)s និងបានជួយសង្គ្រោះជនរងគ្រោះ %(victims)s នាក់ (ស្រី %(victims_female)s នាក់) "
        "%(victims_change)s។"
    ),
    "By age at rescue, the victims were: %(bands)s. Among the rescues, the victims were "
    "placed with: %(placements)s.": (
        "តាមអាយុនៅពេលជួយសង្គ្រោះ ជនរងគ្រោះមាន៖ %(bands)s។ ក្នុងចំណោមការជួយសង្គ្រោះ បានបញ្ជូនទៅ %(placements)s។"
    ),
    "Received %(total)s (children = %(children)s, F=%(female)s) victims and at-risk persons "
    "repatriated from %(countries)s, %(change)s.": (
        "បានទទួលជនរងគ្រោះ និងជនងាយរងគ្រោះ %(total)s នាក់ (កុមារ %(children)s នាក់ ស្រី %(female)s "
        "នាក់) ដែលធ្វើមាតុភូមិនិវត្តន៍ពី %(countries)s %(change)s។"
    ),
    "Received %(total)s returned migrants (children = %(children)s) from %(countries)s, "
    "%(change)s.": (
        "បានទទួលជនចំណាកស្រុកវិលត្រឡប់ %(total)s នាក់ (កុមារ %(children)s នាក់) ពី %(countries)s %(change)s។"
    ),
    "Made %(total)s referrals to partners: %(partners)s, %(change)s.": (
        "បានបញ្ជូនបន្ត %(total)s ករណីទៅដៃគូ៖ %(partners)s %(change)s។"
    ),
    "Monitored %(monitored)s (F=%(female)s) victims and clients reintegrated into their family "
    "and community, of whom %(tracing)s were searching for families and %(assessed)s were "
    "provided with family assessment; %(opened)s cases were opened, %(closed)s were closed and "
    "%(open)s remained open.": (
        "បានតាមដានជនរងគ្រោះ និងអតិថិជន %(monitored)s នាក់ (ស្រី %(female)s នាក់) "
        "ដែលបានធ្វើសមាហរណកម្មទៅក្នុងគ្រួសារ និងសហគមន៍ ក្នុងនោះ %(tracing)s នាក់កំពុងស្វែងរកគ្រួសារ "
        "និង %(assessed)s នាក់បានទទួលការវាយតម្លៃគ្រួសារ។ ករណីបានបើក %(opened)s "
        "បានបិទ %(closed)s និងនៅបើក %(open)s។"
    ),
    "Border provinces received %(total)s deportees (F=%(female)s; children under the age of "
    "18 = %(children)s) from %(countries)s, %(change)s. Deportees jailed for more than a month "
    "before being deported: %(detained)s.": (
        "ខេត្តជាប់ព្រំដែនបានទទួលជនត្រូវបានបណ្តេញចេញ %(total)s នាក់ (ស្រី %(female)s នាក់ "
        "កុមារអាយុក្រោម ១៨ ឆ្នាំ %(children)s នាក់) ពី %(countries)s %(change)s។ "
        "ជនដែលជាប់ឃុំលើសពីមួយខែ មុនពេលត្រូវបានបណ្តេញចេញ៖ %(detained)s នាក់។"
    ),
    "Courts prosecuted %(cases)s human trafficking related cases involving %(defendants)s "
    "suspects (F=%(female)s), %(cases_change)s and %(defendants_change)s; %(convictions)s "
    "defendants were convicted.": (
        "តុលាការបានចោទប្រកាន់សំណុំរឿងពាក់ព័ន្ធនឹងការជួញដូរមនុស្ស %(cases)s សំណុំរឿង "
        "ពាក់ព័ន្ធជនសង្ស័យ %(defendants)s នាក់ (ស្រី %(female)s នាក់) %(cases_change)s និង "
        "%(defendants_change)s។ ជនជាប់ចោទ %(convictions)s នាក់ត្រូវបានផ្តន្ទាទោស។"
    ),
    "%(activities)s prevention activities reached %(total)s people (F=%(female)s), "
    "%(change)s: %(kinds)s.": (
        "សកម្មភាពបង្ការ %(activities)s បានឈានដល់មនុស្ស %(total)s នាក់ (ស្រី %(female)s នាក់) "
        "%(change)s៖ %(kinds)s។"
    ),
    "Withdrew %(total)s (boys = %(boys)s, girls = %(girls)s) children from the worst forms of "
    "child labour, %(change)s.": (
        "បានដកកុមារ %(total)s នាក់ (ប្រុស %(boys)s នាក់ ស្រី %(girls)s នាក់) "
        "ចេញពីទម្រង់ធ្ងន់ធ្ងរបំផុតនៃពលកម្មកុមារ %(change)s។"
    ),
    # Documents
    "Statistics report": "របាយការណ៍ស្ថិតិ",
    "NC/S.T.S.L.S statistics report": "របាយការណ៍ស្ថិតិ គ.ជ.ប.ជ",
    "Period": "កំឡុងពេល",
    "Compared with": "ធៀបនឹង",
    "Figure": "តួលេខ",
    "Change": "បម្រែបម្រួល",
    "Change %": "បម្រែបម្រួល %",
    "Summary": "សេចក្តីសង្ខេប",
    "No names: aggregate figures only.": "គ្មានឈ្មោះ៖ មានតែតួលេខសរុបប៉ុណ្ណោះ។",
    # Countries
    "country:KHM": "កម្ពុជា",
    "country:THA": "ថៃ",
    "country:VNM": "វៀតណាម",
    "country:MYS": "ម៉ាឡេស៊ី",
    "country:IDN": "ឥណ្ឌូណេស៊ី",
    "country:IND": "ឥណ្ឌា",
    "country:ZAF": "អាហ្វ្រិកខាងត្បូង",
    "country:LAO": "ឡាវ",
    "country:CHN": "ចិន",
    "country:JPN": "ជប៉ុន",
    "country:USA": "សហរដ្ឋអាមេរិក",
    "country:GBR": "ចក្រភពអង់គ្លេស",
    "country:AUS": "អូស្ត្រាលី",
    "country:DNK": "ដាណឺម៉ាក",
    "country:NOR": "ន័រវេស",
    "country:NLD": "ហូឡង់",
    "country:CHE": "ស្វីស",
    "country:MMR": "មីយ៉ាន់ម៉ា",
    "country:KOR": "កូរ៉េខាងត្បូង",
    "country:TWN": "តៃវ៉ាន់",
    "country:SGP": "សិង្ហបុរី",
    "country:FRA": "បារាំង",
    "country:CAN": "កាណាដា",
}
