import WritCore
