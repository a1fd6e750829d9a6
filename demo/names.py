"""The demo's institutions, agreements and pools named in every interface language.

Their real names where they have one in the language (``tr``: "Ankara Bilkent
Şehir Hastanesi"), a faithful translation otherwise. ``seed.py`` finds each row by
its English name and writes the seven columns of each translated field.
"""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Names:
    """One text in each interface language."""

    ru: str
    en: str
    ky: str
    kk: str
    tr: str
    uz: str
    az: str

    def columns(self, field: str) -> dict[str, str]:
        """The model's translation columns of ``field``: ``{"name_ru": ..., ...}``."""
        return {
            f"{field}_{language.name}": getattr(self, language.name) for language in fields(self)
        }

    def format(self, **values: object) -> Names:
        return Names(*(getattr(self, language.name).format(**values) for language in fields(self)))


@dataclass(frozen=True)
class InstitutionNames:
    name: Names
    short_name: Names


# Keyed by the institution's key in ``seed.INSTITUTIONS``.
INSTITUTIONS: dict[str, InstitutionNames] = {
    "kg-moh": InstitutionNames(
        Names(
            ru="Министерство здравоохранения Кыргызской Республики",
            en="Ministry of Health of the Kyrgyz Republic",
            ky="Кыргыз Республикасынын Саламаттык сактоо министрлиги",
            kk="Қырғыз Республикасының Денсаулық сақтау министрлігі",
            tr="Kırgız Cumhuriyeti Sağlık Bakanlığı",
            uz="Qirgʻiziston Respublikasi Sogʻliqni saqlash vazirligi",
            az="Qırğız Respublikasının Səhiyyə Nazirliyi",
        ),
        Names(
            ru="Минздрав КР",
            en="MoH of Kyrgyzstan",
            ky="ССМ",
            kk="Қырғызстан ДСМ",
            tr="Kırgızistan Sağlık Bakanlığı",
            uz="Qirgʻiziston SSV",
            az="Qırğızıstan SN",
        ),
    ),
    "tr-embassy-bishkek": InstitutionNames(
        Names(
            ru="Посольство Турецкой Республики в Бишкеке",
            en="Embassy of the Republic of Türkiye in Bishkek",
            ky="Түркия Республикасынын Бишкектеги элчилиги",
            kk="Түркия Республикасының Бішкектегі елшілігі",
            tr="Türkiye Cumhuriyeti Bişkek Büyükelçiliği",
            uz="Turkiya Respublikasining Bishkekdagi elchixonasi",
            az="Türkiyə Respublikasının Bişkekdəki Səfirliyi",
        ),
        Names(
            ru="Посольство Турции в КР",
            en="Turkish Embassy in Bishkek",
            ky="Түркиянын элчилиги",
            kk="Түркия елшілігі",
            tr="T.C. Bişkek Büyükelçiliği",
            uz="Turkiya elchixonasi",
            az="Türkiyə Səfirliyi",
        ),
    ),
    "tr-moh": InstitutionNames(
        Names(
            ru="Министерство здравоохранения Турецкой Республики",
            en="Ministry of Health of the Republic of Türkiye",
            ky="Түркия Республикасынын Саламаттык сактоо министрлиги",
            kk="Түркия Республикасының Денсаулық сақтау министрлігі",
            tr="Türkiye Cumhuriyeti Sağlık Bakanlığı",
            uz="Turkiya Respublikasi Sogʻliqni saqlash vazirligi",
            az="Türkiyə Respublikasının Səhiyyə Nazirliyi",
        ),
        Names(
            ru="Минздрав Турции",
            en="MoH of Türkiye",
            ky="Түркиянын ССМ",
            kk="Түркия ДСМ",
            tr="T.C. Sağlık Bakanlığı",
            uz="Turkiya SSV",
            az="Türkiyə SN",
        ),
    ),
    "kg-tr-hospital": InstitutionNames(
        Names(
            ru="Кыргызско-Турецкая больница имени Реджепа Тайипа Эрдогана",
            en="Kyrgyz-Turkish Hospital named after Recep Tayyip Erdoğan",
            ky="Реджеп Тайип Эрдоган атындагы Кыргыз-Түрк ооруканасы",
            kk="Реджеп Тайып Ердоған атындағы Қырғыз-Түрік ауруханасы",
            tr="Recep Tayyip Erdoğan Kırgız-Türk Hastanesi",
            uz="Rajab Toyyib Erdoʻgʻan nomidagi Qirgʻiz-Turk shifoxonasi",
            az="Rəcəb Tayyib Ərdoğan adına Qırğız-Türk Xəstəxanası",
        ),
        Names(
            ru="Кыргызско-Турецкая больница им. Р. Т. Эрдогана",
            en="Kyrgyz-Turkish Hospital",
            ky="Кыргыз-Түрк ооруканасы",
            kk="Қырғыз-Түрік ауруханасы",
            tr="Kırgız-Türk Hastanesi",
            uz="Qirgʻiz-Turk shifoxonasi",
            az="Qırğız-Türk Xəstəxanası",
        ),
    ),
    "tr-bilkent": InstitutionNames(
        Names(
            ru="Городская больница Анкара Билкент",
            en="Ankara Bilkent City Hospital",
            ky="Анкара Билкент шаардык ооруканасы",
            kk="Анкара Билкент қалалық ауруханасы",
            tr="Ankara Bilkent Şehir Hastanesi",
            uz="Anqara Bilkent shahar shifoxonasi",
            az="Ankara Bilkent Şəhər Xəstəxanası",
        ),
        Names(
            ru="Больница Билкент",
            en="Bilkent City Hospital",
            ky="Билкент ооруканасы",
            kk="Билкент ауруханасы",
            tr="Bilkent Şehir Hastanesi",
            uz="Bilkent shifoxonasi",
            az="Bilkent Xəstəxanası",
        ),
    ),
    "tr-basaksehir": InstitutionNames(
        Names(
            ru="Городская больница Башакшехир Чам и Сакура в Стамбуле",
            en="Istanbul Başakşehir Çam and Sakura City Hospital",
            ky="Стамбулдагы Башакшехир Чам жана Сакура шаардык ооруканасы",
            kk="Ыстамбұлдағы Башакшехир Чам және Сакура қалалық ауруханасы",
            tr="İstanbul Başakşehir Çam ve Sakura Şehir Hastanesi",
            uz="Istanbul Boshakshehir Cham va Sakura shahar shifoxonasi",
            az="İstanbul Başakşehir Çam və Sakura Şəhər Xəstəxanası",
        ),
        Names(
            ru="Больница Башакшехир Чам и Сакура",
            en="Başakşehir Çam and Sakura",
            ky="Башакшехир Чам жана Сакура",
            kk="Башакшехир Чам және Сакура",
            tr="Başakşehir Çam ve Sakura Şehir Hastanesi",
            uz="Boshakshehir Cham va Sakura",
            az="Başakşehir Çam və Sakura",
        ),
    ),
    "tr-hacettepe": InstitutionNames(
        Names(
            ru="Больницы Университета Хаджеттепе",
            en="Hacettepe University Hospitals",
            ky="Хаджеттепе университетинин ооруканалары",
            kk="Хаджеттепе университетінің ауруханалары",
            tr="Hacettepe Üniversitesi Hastaneleri",
            uz="Hacettepe universiteti shifoxonalari",
            az="Hacettepe Universiteti Xəstəxanaları",
        ),
        Names(
            ru="Больницы Хаджеттепе",
            en="Hacettepe Hospitals",
            ky="Хаджеттепе ооруканалары",
            kk="Хаджеттепе ауруханалары",
            tr="Hacettepe Hastaneleri",
            uz="Hacettepe shifoxonalari",
            az="Hacettepe Xəstəxanaları",
        ),
    ),
    "ru-murmansk-moh": InstitutionNames(
        Names(
            ru="Министерство здравоохранения Мурманской области",
            en="Ministry of Health of the Murmansk Region",
            ky="Мурманск облусунун Саламаттык сактоо министрлиги",
            kk="Мурманск облысының Денсаулық сақтау министрлігі",
            tr="Murmansk Bölgesi Sağlık Bakanlığı",
            uz="Murmansk viloyati Sogʻliqni saqlash vazirligi",
            az="Murmansk Vilayətinin Səhiyyə Nazirliyi",
        ),
        Names(
            ru="Минздрав Мурманской области",
            en="Murmansk Region MoH",
            ky="Мурманск облусунун ССМ",
            kk="Мурманск облысы ДСМ",
            tr="Murmansk Sağlık Bakanlığı",
            uz="Murmansk viloyati SSV",
            az="Murmansk SN",
        ),
    ),
    "by-minsk-health": InstitutionNames(
        Names(
            ru="Комитет по здравоохранению Минского городского исполнительного комитета",
            en="Health Committee of the Minsk City Executive Committee",
            ky="Минск шаардык аткаруу комитетинин Саламаттык сактоо комитети",
            kk="Минск қалалық атқару комитетінің Денсаулық сақтау комитеті",
            tr="Minsk Şehir İcra Komitesi Sağlık Komitesi",
            uz="Minsk shahar ijroiya qoʻmitasining Sogʻliqni saqlash qoʻmitasi",
            az="Minsk Şəhər İcra Komitəsinin Səhiyyə Komitəsi",
        ),
        Names(
            ru="Комитет по здравоохранению Мингорисполкома",
            en="Minsk City Health Committee",
            ky="Минск саламаттык сактоо комитети",
            kk="Минск денсаулық сақтау комитеті",
            tr="Minsk Sağlık Komitesi",
            uz="Minsk sogʻliqni saqlash qoʻmitasi",
            az="Minsk Səhiyyə Komitəsi",
        ),
    ),
    "ru-murmansk-mdc": InstitutionNames(
        Names(
            ru="Мурманский областной клинический многопрофильный центр",
            en="Murmansk Regional Clinical Multidisciplinary Centre",
            ky="Мурманск облустук клиникалык көп тармактуу борбору",
            kk="Мурманск облыстық клиникалық көпсалалы орталығы",
            tr="Murmansk Bölge Klinik Çok Disiplinli Merkezi",
            uz="Murmansk viloyat klinik koʻp tarmoqli markazi",
            az="Murmansk Vilayət Klinik Çoxprofilli Mərkəzi",
        ),
        Names(
            ru="МОКМЦ",
            en="Murmansk Multidisciplinary Centre",
            ky="МОКМЦ",
            kk="МОКМЦ",
            tr="Murmansk Çok Disiplinli Merkez",
            uz="Murmansk koʻp tarmoqli markazi",
            az="Murmansk Çoxprofilli Mərkəz",
        ),
    ),
    "ru-murmansk-onco": InstitutionNames(
        Names(
            ru="Мурманский областной онкологический диспансер",
            en="Murmansk Regional Oncology Dispensary",
            ky="Мурманск облустук онкологиялык диспансери",
            kk="Мурманск облыстық онкологиялық диспансері",
            tr="Murmansk Bölge Onkoloji Dispanseri",
            uz="Murmansk viloyat onkologiya dispanseri",
            az="Murmansk Vilayət Onkoloji Dispanseri",
        ),
        Names(
            ru="МООД",
            en="Murmansk Oncology Dispensary",
            ky="МООД",
            kk="МООД",
            tr="Murmansk Onkoloji Dispanseri",
            uz="Murmansk onkologiya dispanseri",
            az="Murmansk Onkoloji Dispanseri",
        ),
    ),
    "by-minsk-onco": InstitutionNames(
        Names(
            ru="Минский городской клинический онкологический центр",
            en="Minsk City Clinical Oncology Centre",
            ky="Минск шаардык клиникалык онкология борбору",
            kk="Минск қалалық клиникалық онкологиялық орталығы",
            tr="Minsk Şehir Klinik Onkoloji Merkezi",
            uz="Minsk shahar klinik onkologiya markazi",
            az="Minsk Şəhər Klinik Onkologiya Mərkəzi",
        ),
        Names(
            ru="МГКОЦ",
            en="Minsk Oncology Centre",
            ky="МГКОЦ",
            kk="МГКОЦ",
            tr="Minsk Onkoloji Merkezi",
            uz="Minsk onkologiya markazi",
            az="Minsk Onkologiya Mərkəzi",
        ),
    ),
    "by-minsk-emergency": InstitutionNames(
        Names(
            ru="Городская клиническая больница скорой медицинской помощи г. Минска",
            en="Minsk City Clinical Emergency Hospital",
            ky="Минск шаарынын тез жардам клиникалык ооруканасы",
            kk="Минск қаласының жедел медициналық жәрдем клиникалық ауруханасы",
            tr="Minsk Şehir Klinik Acil Hastanesi",
            uz="Minsk shahar tez tibbiy yordam klinik shifoxonasi",
            az="Minsk Şəhər Klinik Təcili Yardım Xəstəxanası",
        ),
        Names(
            ru="ГКБ СМП г. Минска",
            en="Minsk Emergency Hospital",
            ky="Минск тез жардам ооруканасы",
            kk="Минск жедел жәрдем ауруханасы",
            tr="Minsk Acil Hastanesi",
            uz="Minsk tez yordam shifoxonasi",
            az="Minsk Təcili Yardım Xəstəxanası",
        ),
    ),
    "ru-nmrc-rehab": InstitutionNames(
        Names(
            ru="Национальный медицинский исследовательский центр реабилитации и курортологии"
            " Минздрава России",
            en="National Medical Research Centre for Rehabilitation and Balneology"
            " of the Ministry of Health of Russia",
            ky="Россиянын Саламаттык сактоо министрлигинин Реабилитация жана курортология"
            " улуттук медициналык изилдөө борбору",
            kk="Ресей Денсаулық сақтау министрлігінің Оңалту және курортология ұлттық"
            " медициналық зерттеу орталығы",
            tr="Rusya Sağlık Bakanlığı Ulusal Rehabilitasyon ve Balneoloji Tıbbi Araştırma Merkezi",
            uz="Rossiya Sogʻliqni saqlash vazirligining Reabilitatsiya va kurortologiya milliy"
            " tibbiy tadqiqot markazi",
            az="Rusiya Səhiyyə Nazirliyinin Reabilitasiya və Kurortologiya üzrə Milli Tibbi"
            " Tədqiqat Mərkəzi",
        ),
        Names(
            ru="НМИЦ РК Минздрава России",
            en="NMRC for Rehabilitation and Balneology",
            ky="Реабилитация жана курортология борбору",
            kk="Оңалту және курортология орталығы",
            tr="Ulusal Rehabilitasyon ve Balneoloji Merkezi",
            uz="Reabilitatsiya va kurortologiya markazi",
            az="Reabilitasiya və Kurortologiya Mərkəzi",
        ),
    ),
    "kz-okzhetpes": InstitutionNames(
        Names(
            ru="Санаторий «Окжетпес»",
            en="Okzhetpes Sanatorium",
            ky="«Окжетпес» санаторийи",
            kk="«Оқжетпес» шипажайы",
            tr="Okjetpes Sanatoryumu",
            uz="“Oqjetpes” sanatoriysi",
            az="“Okjetpes” sanatoriyası",
        ),
        Names(
            ru="«Окжетпес»",
            en="Okzhetpes",
            ky="«Окжетпес»",
            kk="«Оқжетпес»",
            tr="Okjetpes",
            uz="“Oqjetpes”",
            az="“Okjetpes”",
        ),
    ),
    "kz-mankent": InstitutionNames(
        Names(
            ru="Санаторий «Манкент»",
            en="Mankent Sanatorium",
            ky="«Манкент» санаторийи",
            kk="«Манкент» шипажайы",
            tr="Mankent Sanatoryumu",
            uz="“Mankent” sanatoriysi",
            az="“Mankent” sanatoriyası",
        ),
        Names(
            ru="«Манкент»",
            en="Mankent",
            ky="«Манкент»",
            kk="«Манкент»",
            tr="Mankent",
            uz="“Mankent”",
            az="“Mankent”",
        ),
    ),
    "kz-balneology-institute": InstitutionNames(
        Names(
            ru="Научно-исследовательский институт курортологии и медицинской реабилитации",
            en="Research Institute of Balneology and Medical Rehabilitation",
            ky="Курортология жана медициналык реабилитация илим-изилдөө институту",
            kk="Курортология және медициналық оңалту ғылыми-зерттеу институты",
            tr="Balneoloji ve Tıbbi Rehabilitasyon Araştırma Enstitüsü",
            uz="Kurortologiya va tibbiy reabilitatsiya ilmiy-tadqiqot instituti",
            az="Kurortologiya və Tibbi Reabilitasiya Elmi-Tədqiqat İnstitutu",
        ),
        Names(
            ru="НИИ курортологии и медицинской реабилитации",
            en="Institute of Balneology",
            ky="Курортология институту",
            kk="Курортология институты",
            tr="Balneoloji Enstitüsü",
            uz="Kurortologiya instituti",
            az="Kurortologiya İnstitutu",
        ),
    ),
    "by-moh": InstitutionNames(
        Names(
            ru="Министерство здравоохранения Республики Беларусь",
            en="Ministry of Health of the Republic of Belarus",
            ky="Беларусь Республикасынын Саламаттык сактоо министрлиги",
            kk="Беларусь Республикасының Денсаулық сақтау министрлігі",
            tr="Belarus Cumhuriyeti Sağlık Bakanlığı",
            uz="Belarus Respublikasi Sogʻliqni saqlash vazirligi",
            az="Belarus Respublikasının Səhiyyə Nazirliyi",
        ),
        Names(
            ru="Минздрав РБ",
            en="MoH of Belarus",
            ky="Беларусь ССМ",
            kk="Беларусь ДСМ",
            tr="Belarus Sağlık Bakanlığı",
            uz="Belarus SSV",
            az="Belarus SN",
        ),
    ),
    "kz-moh": InstitutionNames(
        Names(
            ru="Министерство здравоохранения Республики Казахстан",
            en="Ministry of Health of the Republic of Kazakhstan",
            ky="Казакстан Республикасынын Саламаттык сактоо министрлиги",
            kk="Қазақстан Республикасының Денсаулық сақтау министрлігі",
            tr="Kazakistan Cumhuriyeti Sağlık Bakanlığı",
            uz="Qozogʻiston Respublikasi Sogʻliqni saqlash vazirligi",
            az="Qazaxıstan Respublikasının Səhiyyə Nazirliyi",
        ),
        Names(
            ru="Минздрав РК",
            en="MoH of Kazakhstan",
            ky="Казакстан ССМ",
            kk="ҚР ДСМ",
            tr="Kazakistan Sağlık Bakanlığı",
            uz="Qozogʻiston SSV",
            az="Qazaxıstan SN",
        ),
    ),
    "ru-moh": InstitutionNames(
        Names(
            ru="Министерство здравоохранения Российской Федерации",
            en="Ministry of Health of the Russian Federation",
            ky="Россия Федерациясынын Саламаттык сактоо министрлиги",
            kk="Ресей Федерациясының Денсаулық сақтау министрлігі",
            tr="Rusya Federasyonu Sağlık Bakanlığı",
            uz="Rossiya Federatsiyasi Sogʻliqni saqlash vazirligi",
            az="Rusiya Federasiyasının Səhiyyə Nazirliyi",
        ),
        Names(
            ru="Минздрав России",
            en="MoH of Russia",
            ky="Россия ССМ",
            kk="Ресей ДСМ",
            tr="Rusya Sağlık Bakanlığı",
            uz="Rossiya SSV",
            az="Rusiya SN",
        ),
    ),
    "tj-moh": InstitutionNames(
        Names(
            ru="Министерство здравоохранения и социальной защиты населения Республики Таджикистан",
            en="Ministry of Health and Social Protection of Population of the Republic of"
            " Tajikistan",
            ky="Тажикстан Республикасынын Саламаттык сактоо жана калкты социалдык коргоо"
            " министрлиги",
            kk="Тәжікстан Республикасының Денсаулық сақтау және халықты әлеуметтік қорғау"
            " министрлігі",
            tr="Tacikistan Cumhuriyeti Sağlık ve Sosyal Koruma Bakanlığı",
            uz="Tojikiston Respublikasi Sogʻliqni saqlash va aholini ijtimoiy muhofaza qilish"
            " vazirligi",
            az="Tacikistan Respublikasının Səhiyyə və Əhalinin Sosial Müdafiəsi Nazirliyi",
        ),
        Names(
            ru="Минздравсоцзащиты РТ",
            en="MoHSPP of Tajikistan",
            ky="Тажикстан ССМ",
            kk="Тәжікстан ДСМ",
            tr="Tacikistan Sağlık Bakanlığı",
            uz="Tojikiston SSV",
            az="Tacikistan SN",
        ),
    ),
    "uz-moh": InstitutionNames(
        Names(
            ru="Министерство здравоохранения Республики Узбекистан",
            en="Ministry of Health of the Republic of Uzbekistan",
            ky="Өзбекстан Республикасынын Саламаттык сактоо министрлиги",
            kk="Өзбекстан Республикасының Денсаулық сақтау министрлігі",
            tr="Özbekistan Cumhuriyeti Sağlık Bakanlığı",
            uz="Oʻzbekiston Respublikasi Sogʻliqni saqlash vazirligi",
            az="Özbəkistan Respublikasının Səhiyyə Nazirliyi",
        ),
        Names(
            ru="Минздрав РУз",
            en="MoH of Uzbekistan",
            ky="Өзбекстан ССМ",
            kk="Өзбекстан ДСМ",
            tr="Özbekistan Sağlık Bakanlığı",
            uz="SSV",
            az="Özbəkistan SN",
        ),
    ),
    "kz-nroc": InstitutionNames(
        Names(
            ru="Национальный научный онкологический центр",
            en="National Research Oncology Center",
            ky="Улуттук илимий онкология борбору",
            kk="Ұлттық ғылыми онкологиялық орталық",
            tr="Ulusal Onkoloji Araştırma Merkezi",
            uz="Milliy ilmiy onkologiya markazi",
            az="Milli Elmi Onkologiya Mərkəzi",
        ),
        Names(
            ru="ННОЦ",
            en="NROC",
            ky="УИОБ",
            kk="ҰҒОО",
            tr="Ulusal Onkoloji Merkezi",
            uz="MIOM",
            az="MEOM",
        ),
    ),
    "ots": InstitutionNames(
        Names(
            ru="Организация тюркских государств",
            en="Organization of Turkic States",
            ky="Түрк мамлекеттеринин уюму",
            kk="Түркі мемлекеттері ұйымы",
            tr="Türk Devletleri Teşkilatı",
            uz="Turkiy davlatlar tashkiloti",
            az="Türk Dövlətləri Təşkilatı",
        ),
        Names(ru="ОТГ", en="OTS", ky="ТМУ", kk="ТМҰ", tr="TDT", uz="TDT", az="TDT"),
    ),
    "az-moh": InstitutionNames(
        Names(
            ru="Министерство здравоохранения Азербайджанской Республики",
            en="Ministry of Health of the Republic of Azerbaijan",
            ky="Азербайжан Республикасынын Саламаттык сактоо министрлиги",
            kk="Әзірбайжан Республикасының Денсаулық сақтау министрлігі",
            tr="Azerbaycan Cumhuriyeti Sağlık Bakanlığı",
            uz="Ozarbayjon Respublikasi Sogʻliqni saqlash vazirligi",
            az="Azərbaycan Respublikasının Səhiyyə Nazirliyi",
        ),
        Names(
            ru="Минздрав Азербайджана",
            en="MoH of Azerbaijan",
            ky="Азербайжан ССМ",
            kk="Әзірбайжан ДСМ",
            tr="Azerbaycan Sağlık Bakanlığı",
            uz="Ozarbayjon SSV",
            az="Səhiyyə Nazirliyi",
        ),
    ),
}

# Keyed by the agreement's English title (``seed.AgreementData.title``).
AGREEMENT_TITLES: dict[str, Names] = {
    names.en: names
    for names in (
        Names(
            ru="Кыргызская Республика – Турецкая Республика: квоты на бесплатное лечение"
            " граждан Кыргызской Республики",
            en="Kyrgyz Republic – Republic of Türkiye: free treatment quotas for citizens of the"
            " Kyrgyz Republic",
            ky="Кыргыз Республикасы – Түркия Республикасы: Кыргыз Республикасынын жарандарын"
            " акысыз дарылоо квоталары",
            kk="Қырғыз Республикасы – Түркия Республикасы: Қырғыз Республикасы азаматтарын"
            " тегін емдеу квоталары",
            tr="Kırgız Cumhuriyeti – Türkiye Cumhuriyeti: Kırgız Cumhuriyeti vatandaşları için"
            " ücretsiz tedavi kontenjanları",
            uz="Qirgʻiziston Respublikasi – Turkiya Respublikasi: Qirgʻiziston Respublikasi"
            " fuqarolarini bepul davolash kvotalari",
            az="Qırğız Respublikası – Türkiyə Respublikası: Qırğız Respublikası vətəndaşlarının"
            " pulsuz müalicəsi üçün kvotalar",
        ),
        Names(
            ru="Министерство здравоохранения Мурманской области – Комитет по здравоохранению"
            " Мингорисполкома: сотрудничество в области здравоохранения",
            en="Ministry of Health of the Murmansk Region – Health Committee of the Minsk City"
            " Executive Committee: cooperation in health care",
            ky="Мурманск облусунун Саламаттык сактоо министрлиги – Минск шаардык аткаруу"
            " комитетинин Саламаттык сактоо комитети: саламаттык сактоо жаатындагы кызматташтык",
            kk="Мурманск облысының Денсаулық сақтау министрлігі – Минск қалалық атқару"
            " комитетінің Денсаулық сақтау комитеті: денсаулық сақтау саласындағы ынтымақтастық",
            tr="Murmansk Bölgesi Sağlık Bakanlığı – Minsk Şehir İcra Komitesi Sağlık Komitesi:"
            " sağlık alanında işbirliği",
            uz="Murmansk viloyati Sogʻliqni saqlash vazirligi – Minsk shahar ijroiya"
            " qoʻmitasining Sogʻliqni saqlash qoʻmitasi: sogʻliqni saqlash sohasidagi hamkorlik",
            az="Murmansk Vilayətinin Səhiyyə Nazirliyi – Minsk Şəhər İcra Komitəsinin Səhiyyə"
            " Komitəsi: səhiyyə sahəsində əməkdaşlıq",
        ),
        Names(
            ru="Сеть учреждений медицинской реабилитации и санаторно-курортного лечения СНГ",
            en="CIS network of medical rehabilitation and sanatorium-resort institutions",
            ky="КМШнын медициналык реабилитация жана санатордук-курорттук мекемелеринин тармагы",
            kk="ТМД-ның медициналық оңалту және шипажай-курорттық мекемелерінің желісі",
            tr="BDT tıbbi rehabilitasyon ve sanatoryum-kaplıca kurumları ağı",
            uz="MDH tibbiy reabilitatsiya va sanatoriy-kurort muassasalari tarmogʻi",
            az="MDB-nin tibbi reabilitasiya və sanatoriya-kurort müəssisələri şəbəkəsi",
        ),
        Names(
            ru="Организация тюркских государств: рамочная программа сотрудничества"
            " в здравоохранении и план действий на 2025–2026 годы",
            en="Organization of Turkic States: health cooperation framework and action plan"
            " 2025–2026",
            ky="Түрк мамлекеттеринин уюму: саламаттык сактоо жаатындагы кызматташтыктын"
            " алкактык программасы жана 2025–2026-жылдарга иш-аракеттер планы",
            kk="Түркі мемлекеттері ұйымы: денсаулық сақтау саласындағы ынтымақтастықтың"
            " негіздемелік бағдарламасы және 2025–2026 жылдарға арналған іс-қимыл жоспары",
            tr="Türk Devletleri Teşkilatı: sağlık alanında işbirliği çerçevesi ve 2025–2026"
            " eylem planı",
            uz="Turkiy davlatlar tashkiloti: sogʻliqni saqlash sohasidagi hamkorlik doirasi va"
            " 2025–2026 yillar uchun harakatlar rejasi",
            az="Türk Dövlətləri Təşkilatı: səhiyyə sahəsində əməkdaşlıq çərçivəsi və 2025–2026-cı"
            " illər üçün fəaliyyət planı",
        ),
    )
}

# Keyed by the pool's code without its year; ``{year}`` is the pool's year.
POOL_NAMES: dict[str, Names] = {
    "KG-TR": Names(
        ru="Кыргызстан → Турция: бесплатное лечение {year}",
        en="Kyrgyzstan → Türkiye: free treatment {year}",
        ky="Кыргызстан → Түркия: акысыз дарылоо {year}",
        kk="Қырғызстан → Түркия: тегін емдеу {year}",
        tr="Kırgızistan → Türkiye: ücretsiz tedavi {year}",
        uz="Qirgʻiziston → Turkiya: bepul davolash {year}",
        az="Qırğızıstan → Türkiyə: pulsuz müalicə {year}",
    ),
    "KG-TR-INT": Names(
        ru="Кыргызстан → Турция: стажировки на 3–6 месяцев {year}",
        en="Kyrgyzstan → Türkiye: 3–6 month internships {year}",
        ky="Кыргызстан → Түркия: 3–6 айлык стажировкалар {year}",
        kk="Қырғызстан → Түркия: 3–6 айлық тағылымдамалар {year}",
        tr="Kırgızistan → Türkiye: 3–6 aylık stajlar {year}",
        uz="Qirgʻiziston → Turkiya: 3–6 oylik stajirovkalar {year}",
        az="Qırğızıstan → Türkiyə: 3–6 aylıq təcrübə proqramları {year}",
    ),
    "RU-MUR-BY": Names(
        ru="Мурманская область → Минск: специализированная помощь {year}",
        en="Murmansk region → Minsk: specialised care {year}",
        ky="Мурманск облусу → Минск: адистештирилген жардам {year}",
        kk="Мурманск облысы → Минск: мамандандырылған көмек {year}",
        tr="Murmansk bölgesi → Minsk: uzmanlık tedavisi {year}",
        uz="Murmansk viloyati → Minsk: ixtisoslashtirilgan yordam {year}",
        az="Murmansk vilayəti → Minsk: ixtisaslaşdırılmış yardım {year}",
    ),
    "CIS-REHAB-KG-KZ": Names(
        ru="Реабилитация в СНГ: Кыргызстан → Казахстан {year}",
        en="CIS rehabilitation: Kyrgyzstan → Kazakhstan {year}",
        ky="КМШдагы реабилитация: Кыргызстан → Казакстан {year}",
        kk="ТМД-дағы оңалту: Қырғызстан → Қазақстан {year}",
        tr="BDT rehabilitasyonu: Kırgızistan → Kazakistan {year}",
        uz="MDH reabilitatsiyasi: Qirgʻiziston → Qozogʻiston {year}",
        az="MDB reabilitasiyası: Qırğızıstan → Qazaxıstan {year}",
    ),
}
