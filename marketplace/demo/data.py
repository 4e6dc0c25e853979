"""The demo region: De Kempen and Veldhoven (Noord-Brabant), with real PC4 codes.

Municipality codes are the CBS codes. Village cores (kernen) follow the real places the PC4
codes belong to; the districts of Veldhoven group its real PC4 codes by position and carry
neutral names, because PC4 borders do not follow the town's own district borders.
"""

from __future__ import annotations

REGION = ("RG-KEMPEN", "De Kempen en Veldhoven")

# code, name, kind, parent code, PC4 codes
AREAS: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    ("GM0861", "Veldhoven", "municipality", "RG-KEMPEN", ()),
    ("GM0861-NOORD", "Veldhoven-Noord", "district", "GM0861", ("5502", "5508", "5509")),
    ("GM0861-MIDDEN", "Veldhoven-Midden", "district", "GM0861", ("5501", "5503", "5506")),
    ("GM0861-ZUID", "Veldhoven-Zuid", "district", "GM0861", ("5504", "5505")),
    ("GM0861-WEST", "Veldhoven-West", "district", "GM0861", ("5507",)),
    ("GM1728", "Bladel", "municipality", "RG-KEMPEN", ()),
    ("GM1728-BLADEL", "Bladel", "core", "GM1728", ("5531",)),
    ("GM1728-HAPERT", "Hapert", "core", "GM1728", ("5527",)),
    ("GM1728-HOOGELOON", "Hoogeloon", "core", "GM1728", ("5528",)),
    ("GM1728-CASTEREN", "Casteren", "core", "GM1728", ("5529",)),
    ("GM1728-NETERSEL", "Netersel", "core", "GM1728", ("5534",)),
    ("GM0770", "Eersel", "municipality", "RG-KEMPEN", ()),
    ("GM0770-EERSEL", "Eersel", "core", "GM0770", ("5521",)),
    ("GM0770-DUIZEL", "Duizel", "core", "GM0770", ("5525",)),
    ("GM0770-STEENSEL", "Steensel", "core", "GM0770", ("5524",)),
    ("GM0770-KNEGSEL", "Knegsel", "core", "GM0770", ("5511",)),
    ("GM0770-VESSEM", "Vessem", "core", "GM0770", ("5512",)),
    ("GM0770-WINTELRE", "Wintelre", "core", "GM0770", ("5513",)),
    ("GM1724", "Bergeijk", "municipality", "RG-KEMPEN", ()),
    ("GM1724-BERGEIJK", "Bergeijk", "core", "GM1724", ("5571",)),
    ("GM1724-RIETHOVEN", "Riethoven", "core", "GM1724", ("5561",)),
    ("GM1724-WESTERHOVEN", "Westerhoven", "core", "GM1724", ("5563",)),
    ("GM1667", "Reusel-De Mierden", "municipality", "RG-KEMPEN", ()),
    ("GM1667-REUSEL", "Reusel", "core", "GM1667", ("5541",)),
    ("GM1667-HOOGE-MIERDE", "Hooge Mierde", "core", "GM1667", ("5095",)),
    ("GM1667-LAGE-MIERDE", "Lage Mierde", "core", "GM1667", ("5094",)),
    ("GM1667-HULSEL", "Hulsel", "core", "GM1667", ("5096",)),
)

# Village cores work peer-to-peer where the municipality chose so; Veldhoven is brokered.
AREA_SETTINGS = {
    "RG-KEMPEN": {"brokering_mode": "brokered", "signal_respond_days": "5"},
    "GM1724": {"brokering_mode": "peer_to_peer"},
}

DEMO_PASSWORD = "Buurt-demo-2026"
DEMO_DOMAIN = "demo.buurtmakelaar.nl"

# e-mail local part, name, roles, area codes
ACCOUNTS: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("beheer", "Bram Beheerder", ("admin",), ()),
    ("welzijnswerker", "Sanne de Vries", ("worker",), ("GM1728",)),
    ("welzijnswerker.eersel", "Ahmed El Amrani", ("worker",), ("GM0770",)),
    ("gemeente", "Gemeente Bladel (beleid)", ("municipality",), ("GM1728",)),
    ("inwoner", "Riek van den Broek", ("resident",), ()),
    ("vrijwilliger", "Joost Smits", ("volunteer",), ()),
    ("vereniging", "Dorpsraad Hapert", ("association",), ()),
    ("partner", "Petra Jansen (schuldhulp)", ("partner",), ()),
)
