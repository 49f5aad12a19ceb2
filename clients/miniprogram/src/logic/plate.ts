// Chinese plates as the API takes them: province character, letter, then 5 (ordinary) or 6 (new energy)
// letters/digits; 警/学/挂/港/澳/领/使 endings. What the driver types is uppercased and freed of spaces and dots.
const PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领'
const PLATE = new RegExp(`^[${PROVINCES}][A-Z][A-HJ-NP-Z0-9]{4,5}[A-HJ-NP-Z0-9挂学警港澳领使]$`)

export function normalizePlate(input: string): string {
  return input.replace(/[\s·.\-]/g, '').toUpperCase()
}

export function isPlate(input: string): boolean {
  return PLATE.test(normalizePlate(input))
}
