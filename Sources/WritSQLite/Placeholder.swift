import WritCore
import GRDB
