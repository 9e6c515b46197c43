/** Great-circle distance, for the proximity part of a pair's score. */

const EARTH_RADIUS_KM = 6371.0088

const toRadians = (degrees: number): number => (degrees * Math.PI) / 180

/** Haversine distance in kilometres between two points given in decimal degrees. */
export function distanceKm(latitude1: number, longitude1: number, latitude2: number, longitude2: number): number {
  const dLat = toRadians(latitude2 - latitude1)
  const dLon = toRadians(longitude2 - longitude1)
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(toRadians(latitude1)) * Math.cos(toRadians(latitude2)) * Math.sin(dLon / 2) ** 2
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)))
}
