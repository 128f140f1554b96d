import sys

from geopy.distance import geodesic
from geopy.geocoders import Nominatim


def main():
    if len(sys.argv) < 4 or sys.argv[1] != "distance":
        print("usage: geotools distance PLACE_A PLACE_B")
        return 1
    g = Nominatim(user_agent="geotools-skill")
    a, b = g.geocode(sys.argv[2]), g.geocode(sys.argv[3])
    print(f"{geodesic((a.latitude, a.longitude), (b.latitude, b.longitude)).km:.1f} km")
    return 0
